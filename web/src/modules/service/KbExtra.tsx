// What a knowledge article's record page adds: its votes (👍 Utile / Pas utile), its revision and
// a vote of one's own (POST /api/v1/kb_articles/{id}/vote).
import { useState } from 'react';
import { api, type Json } from '../../api';
import { fmtNumber } from '../../format';
import { Link } from '../../router';
import { Section, useFlash } from '../../ui';
import { problemText } from './common';
import { st } from './i18n';

export default function KbExtra({ record, reload }: { record: Json; reload: () => void }) {
  const [flash, show] = useFlash();
  const [voted, setVoted] = useState(false);
  const vote = async (helpful: boolean) => {
    try {
      await api(`/kb_articles/${record.id}/vote`, { method: 'POST', body: { helpful } });
      setVoted(true);
      show(st('service.kb.voted'));
      reload();
    } catch (e) {
      show(problemText(e), 'error');
    }
  };
  return (
    <Section title={st('service.kb.votes')} className="kb-votes">
      {flash}
      <div className="figures" data-testid="kb-votes">
        <div className="figure">
          <span className="figure-label">👍 {st('service.kb.helpful')}</span>
          <span className="figure-value">{fmtNumber(record.helpful_count ?? 0)}</span>
        </div>
        <div className="figure">
          <span className="figure-label">👎 {st('service.kb.notHelpful')}</span>
          <span className="figure-value">{fmtNumber(record.not_helpful_count ?? 0)}</span>
        </div>
      </div>
      <p className="small">
        {st('service.kb.revision', { n: record.revision ?? 1 })}
        {record.source_case_id ? <> · <Link to={`/cases/${record.source_case_id}`}>{st('service.kb.fromCase')}</Link></> : null}
      </p>
      {!voted && (
        <div className="row">
          <span>{st('service.kb.vote')}</span>
          <button type="button" className="btn small" onClick={() => vote(true)}>👍 {st('service.kb.helpful')}</button>
          <button type="button" className="btn small" onClick={() => vote(false)}>👎 {st('service.kb.notHelpful')}</button>
        </div>
      )}
    </Section>
  );
}
