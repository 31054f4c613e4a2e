// Names of referenced records (account_id → the account's name, …), cached for the session; the
// name is the entity's title fields (kernel/schema displayName). A list page fills the cache at
// once from the names its answer carries (GET /{entity} → "names"), so that its rows need no
// request per linked record; a record met elsewhere is fetched once. null: not visible to the
// reader.
import { api, onListAnswer, type Json } from '../api';
import { displayName, entityDef } from './schema';

export { displayName };

const nameCache = new Map<string, Promise<string | null>>();
const known = new Map<string, string | null>();  // resolved entries, read synchronously

function put(key: string, name: string | null) {
  known.set(key, name);
  nameCache.set(key, Promise.resolve(name));
}

export function recordName(entity: string, id: number): Promise<string | null> {
  const key = entity + '/' + id;
  let p = nameCache.get(key);
  if (!p) {
    p = api(`/${entity}/${id}`)
      .then((r: Json) => displayName(entity, r))
      .catch(() => null);
    p.then((n) => known.set(key, n));
    nameCache.set(key, p);
  }
  return p;
}

// The name when already known: a string, null (not visible), or undefined (not known yet).
export function knownName(entity: string, id: number): string | null | undefined {
  return known.get(entity + '/' + id);
}

export function rememberName(entity: string, record: Json) {
  if (record && record.id) put(entity + '/' + record.id, displayName(entity, record));
}

// The "names" of a list answer ({"accounts": {"3": "…"}}); `referenced` are the entity/id pairs
// the rows refer to: one the answer does not name is one the reader may not see.
export function rememberNames(names: Record<string, Record<string, string>> | undefined, referenced: [string, number][] = []) {
  if (!names) return;
  for (const [entity, byId] of Object.entries(names)) for (const [id, name] of Object.entries(byId)) put(entity + '/' + id, name);
  for (const [entity, id] of referenced) {
    const e = entityDef(entity);
    if (!e) put(entity + '/' + id, null);  // an entity the reader may not read at all
    else if (!e.title_fields.length) put(entity + '/' + id, displayName(entity, { id }));  // "Commande n° 12"
    else if (!(String(id) in (names[entity] ?? {}))) put(entity + '/' + id, null);
  }
}

export function clearNameCache() {
  nameCache.clear();
  known.clear();
}

// GET /{entity}…: the names the answer carries, and the referred records it leaves unnamed.
onListAnswer((path, page) => {
  const e = entityDef(path.split(/[/?]/)[1] ?? '');
  const refs = (e?.fields ?? []).filter((f) => f.kind === 'reference' && f.references !== 'users' && f.references !== 'teams');
  rememberNames(page.names, page.data.flatMap((r: Json) => refs.filter((f) => r[f.name]).map((f) => [f.references!, Number(r[f.name])] as [string, number])));
});
