import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyStoreContract } from '../testing/key-store.contract.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const newFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pct-keys-'));
  dirs.push(dir);
  return join(dir, 'keys.sqlite');
};

keyStoreContract('SQLite', async () => new SqliteKeyStore({ filename: newFile() }));

describe('SqliteKeyStore', () => {
  it('leaves no copy of a destroyed wrapped key in the database file or its WAL', async () => {
    const file = newFile();
    const store = new SqliteKeyStore({ filename: file });
    const wrapped = randomBytes(60);
    const subject = randomUUID();
    const other = randomBytes(60);
    await store.create(subject, wrapped, 'mk1', new Date());
    await store.create(randomUUID(), other, 'mk1', new Date());
    const bytes = () => Buffer.concat([readFileSync(file), ...(statSync(`${file}-wal`, { throwIfNoEntry: false }) ? [readFileSync(`${file}-wal`)] : [])]);
    expect(bytes().includes(wrapped)).toBe(true);

    expect(await store.destroy(subject, 'mk1', new Date())).toBe('destroyed');
    expect(bytes().includes(wrapped)).toBe(false);
    // The other subject's key is untouched.
    expect(bytes().includes(other)).toBe(true);
    await store.close();
    expect(readFileSync(file).includes(wrapped)).toBe(false);
  });

  it('is shared by two connections (an API and a CLI process on one DATA_DIR)', async () => {
    const file = newFile();
    const a = new SqliteKeyStore({ filename: file });
    const b = new SqliteKeyStore({ filename: file });
    const subject = randomUUID();
    const first = await a.create(subject, randomBytes(60), 'mk1', new Date());
    expect((await b.create(subject, randomBytes(60), 'mk1', new Date())).wrappedKey).toEqual(first.wrappedKey);
    await b.destroy(subject, 'mk1', new Date());
    expect((await a.get(subject))!.destroyedAt).not.toBeNull();
    await a.close();
    await b.close();
  });
});
