import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { getIdentity, requireUser } from '@/lib/auth/current';
import { signInOptions } from '@/lib/auth/oidc/settings';
import { ROLE_LABELS } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const user = await requireUser('viewer');
  const via = (await getIdentity())?.via;
  const options = signInOptions();
  const signedIn =
    via === 'proxy' ? 'through single sign-on' : user.source === 'oidc' ? `with ${options.oidcName ?? 'OpenID Connect'}` : 'with a password';
  return (
    <div className="grid gap-8">
      <header>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <dl className="mt-3 grid max-w-xl grid-cols-[8rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-600">Username</dt>
          <dd className="font-medium">{user.username}</dd>
          <dt className="text-slate-600">Role</dt>
          <dd>{ROLE_LABELS[user.role]}</dd>
          <dt className="text-slate-600">Signed in</dt>
          <dd>{signedIn}</dd>
        </dl>
      </header>
      {user.mustChangePassword && (
        <p role="alert" className="max-w-xl rounded border border-warn bg-amber-50 px-3 py-2 text-sm">
          You signed in with a one-time password. Choose your own password to continue.
        </p>
      )}
      {user.mustChangePassword || (options.password && user.source === 'local') ? (
        <section aria-labelledby="password-title" className="grid gap-3">
          <h2 id="password-title" className="text-xl font-semibold">
            Change password
          </h2>
          <p className="max-w-xl text-sm text-slate-600">Changing it signs you out everywhere else.</p>
          <ChangePasswordForm />
        </section>
      ) : (
        <p className="max-w-xl text-sm text-slate-600">
          {user.source === 'local' ? 'Password sign-in is turned off on this console.' : 'Your password is managed by your organization’s single sign-on.'}
        </p>
      )}
      {via === 'session' && (
        <section aria-labelledby="signout-title" className="grid gap-2">
          <h2 id="signout-title" className="text-xl font-semibold">
            Sign out
          </h2>
          <div>
            <SignOutButton className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50" />
          </div>
        </section>
      )}
    </div>
  );
}
