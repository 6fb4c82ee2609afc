import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidMasterKeyError } from './envelope.js';
import { loadMasterKey, masterKeyId, parseMasterKey } from './master-key.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pct-master-'));
  dirs.push(dir);
  return dir;
};

describe('master key', () => {
  const key = randomBytes(32);
  const text = key.toString('base64');

  it('is read from MASTER_KEY (base64 of 32 bytes, whitespace ignored)', () => {
    expect(loadMasterKey({ masterKey: ` ${text}\n` })).toEqual({ key, origin: 'MASTER_KEY', generated: false });
  });

  it.each([['short', randomBytes(31).toString('base64')], ['not base64', '!'.repeat(44)], ['hex', randomBytes(32).toString('hex')]])('refuses a key that is %s, naming the setting', (_why, bad) => {
    expect(() => parseMasterKey(bad, 'MASTER_KEY')).toThrow(InvalidMasterKeyError);
    expect(() => loadMasterKey({ masterKey: bad })).toThrow(/^MASTER_KEY must be the base64 text of 32 random bytes/);
  });

  it('is read from MASTER_KEY_FILE, which must exist', () => {
    const dir = newDir();
    const file = join(dir, 'secret');
    writeFileSync(file, `${text}\n`, { mode: 0o600 });
    expect(loadMasterKey({ masterKeyFile: file, generateIn: dir }).key).toEqual(key);
    expect(() => loadMasterKey({ masterKeyFile: join(dir, 'missing'), generateIn: dir })).toThrow(/MASTER_KEY_FILE \(.*missing\) cannot be read/);
  });

  it('is generated on first run in the embedded default: DATA_DIR/master.key, mode 0600, with a warning; later runs read it', () => {
    const dir = newDir();
    const warnings: string[] = [];
    const first = loadMasterKey({ generateIn: dir, warn: (m) => warnings.push(m) });
    const file = join(dir, 'master.key');
    expect(first.generated).toBe(true);
    expect(first.origin).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(readFileSync(file, 'utf8'))).toEqual(first.key);
    expect(warnings).toEqual([expect.stringMatching(/generated a master key in .*master\.key \(mode 0600\).*production.*MASTER_KEY or MASTER_KEY_FILE/)]);

    const second = loadMasterKey({ generateIn: dir, warn: (m) => warnings.push(m) });
    expect(second).toEqual({ key: first.key, origin: file, generated: false });
    expect(warnings).toHaveLength(1);
    // No temporary files are left behind.
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(44);
  });

  it('warns when a key file is readable by others', () => {
    const dir = newDir();
    const file = join(dir, 'master.key');
    writeFileSync(file, text);
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    loadMasterKey({ generateIn: dir, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/readable by other users \(mode 644\)/)]);
  });

  it('is required when there is nowhere to generate one', () => {
    expect(() => loadMasterKey({})).toThrow(/MASTER_KEY or MASTER_KEY_FILE is required/);
  });

  it('has a fingerprint that tells keys apart without revealing them', () => {
    expect(masterKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyId(key)).toBe(masterKeyId(Buffer.from(key)));
    expect(masterKeyId(randomBytes(32))).not.toBe(masterKeyId(key));
    expect(text).not.toContain(masterKeyId(key));
  });
});
