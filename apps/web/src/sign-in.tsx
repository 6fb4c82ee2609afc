// Sign-in with an access token: the token goes to POST /api/session once; errors show at the field.
import { useState } from 'preact/hooks';
import { ApiProblem } from './api.js';
import { useT } from './i18n.js';
import { useRoute } from './router.js';
import { signIn } from './session.js';
import { Alert } from './ui/Alert.js';
import { Field } from './ui/Field.js';

const TOKEN_SHAPE = /^pct_[A-Za-z0-9_-]{43,}$/;

export function SignInPage() {
  const t = useT();
  const route = useRoute();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The error is shown at the field; focus goes back there so it is read out and can be fixed at once.
  const fail = (message: string) => {
    setError(message);
    setBusy(false);
    document.getElementById('field-token')?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) return fail(t('signIn.required'));
    if (!TOKEN_SHAPE.test(value)) return fail(t('signIn.format'));
    setBusy(true);
    setError(null);
    try {
      await signIn(value);
      // The app moves on to `next` (or the overview) once the session is set.
    } catch (err) {
      if (err instanceof ApiProblem && (err.status === 401 || err.status === 400)) fail(err.fieldError('token') ?? t('signIn.invalid'));
      else if (err instanceof ApiProblem && err.status === 429) fail(t('signIn.tooMany'));
      else fail(t('signIn.failed', { detail: err instanceof Error ? err.message : String(err) }));
    }
  };

  return (
    <section class="page sign-in">
      <div class="card sign-in-card">
        <h1>{t('signIn.title')}</h1>
        {route.query.get('signedOut') ? <Alert kind="info">{t('signIn.signedOut')}</Alert> : null}
        <p class="muted">{t('signIn.intro')}</p>
        <form onSubmit={submit} noValidate>
          <Field label={t('signIn.token')} name="token" error={error} hint={t('signIn.tokenHint')}>
            <input
              class="input input-mono"
              type="password"
              autoComplete="current-password"
              spellcheck={false}
              autoCapitalize="off"
              value={token}
              onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
            />
          </Field>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
      </div>
    </section>
  );
}
