import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { OidcSignInLink } from '@/components/auth/oidc-sign-in-link';
import { SignInForm } from '@/components/auth/sign-in-form';
import { bootstrapAuth } from '@/lib/auth/bootstrap';
import { getIdentity } from '@/lib/auth/current';
import { safeNextPath } from '@/lib/auth/next-path';
import { isOidcFailure, oidcFailureMessage } from '@/lib/auth/oidc/failures';
import { signInOptions } from '@/lib/auth/oidc/settings';
import { isStoreUnavailable } from '@/lib/store/errors';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<{ next?: string | string[]; error?: string | string[] }> };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const target = safeNextPath(first(params.next));
  const options = signInOptions();
  const error = first(params.error);
  const failure = isOidcFailure(error) ? oidcFailureMessage(error, options.oidcName ?? 'single sign-on') : undefined;
  let problem: string | undefined;
  try {
    await bootstrapAuth();
    if (await getIdentity()) redirect(target);
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    problem = error.message;
  }
  return (
    <section className="mx-auto grid max-w-sm gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="signin-title">
      <h1 id="signin-title" className="text-2xl font-semibold">
        Sign in
      </h1>
      <p className="text-sm text-slate-600">This console can change infrastructure in your AWS account, so it needs to know who you are.</p>
      {(problem ?? failure) && (
        <p role="alert" className="rounded border border-bad bg-red-50 px-3 py-2 text-sm text-bad">
          {problem ?? failure}
        </p>
      )}
      {!problem && (
        <>
          {options.oidcName && <OidcSignInLink name={options.oidcName} next={target} />}
          {options.oidcName && options.password && (
            <p className="text-center text-sm text-slate-500" aria-hidden="true">
              or with a username and password
            </p>
          )}
          {options.password ? (
            <SignInForm next={target} />
          ) : (
            <p className="text-sm text-slate-600">Password sign-in is turned off on this console.</p>
          )}
        </>
      )}
    </section>
  );
}
