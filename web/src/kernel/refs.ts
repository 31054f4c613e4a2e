// Names of referenced records (account_id → the account's name, …), fetched once per id and
// cached for the session; the name is the entity's title fields (kernel/schema displayName).
import { api, type Json } from '../api';
import { displayName } from './schema';

export { displayName };

const nameCache = new Map<string, Promise<string | null>>();

export function recordName(entity: string, id: number): Promise<string | null> {
  const key = entity + '/' + id;
  let p = nameCache.get(key);
  if (!p) {
    p = api(`/${entity}/${id}`)
      .then((r: Json) => displayName(entity, r))
      .catch(() => null);
    nameCache.set(key, p);
  }
  return p;
}

export function rememberName(entity: string, record: Json) {
  if (record && record.id) nameCache.set(entity + '/' + record.id, Promise.resolve(displayName(entity, record)));
}

export function clearNameCache() {
  nameCache.clear();
}
