import { FailedAuthentications } from './failed-authentications.js';

describe('FailedAuthentications', () => {
  let now: number;
  let failures: FailedAuthentications;
  beforeEach(() => {
    now = 1_000_000;
    failures = new FailedAuthentications(3, 60_000, () => now);
  });

  it('lets an address fail up to the limit, then makes it wait until its minute is over', () => {
    for (let i = 0; i < 2; i++) failures.record('10.0.0.1');
    expect(failures.retryAfterSeconds('10.0.0.1')).toBe(0);
    failures.record('10.0.0.1');
    expect(failures.retryAfterSeconds('10.0.0.1')).toBe(60);
    now += 45_500;
    expect(failures.retryAfterSeconds('10.0.0.1')).toBe(15);
    now += 14_500;
    expect(failures.retryAfterSeconds('10.0.0.1')).toBe(0);
    failures.record('10.0.0.1');
    expect(failures.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('counts each address apart', () => {
    for (let i = 0; i < 3; i++) failures.record('10.0.0.1');
    expect(failures.retryAfterSeconds('10.0.0.1')).toBeGreaterThan(0);
    expect(failures.retryAfterSeconds('10.0.0.2')).toBe(0);
  });
});
