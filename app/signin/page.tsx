import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { bootstrapAuth } from '@/lib/auth/bootstrap';
import { getIdentity } from '@/lib/auth/current';
import { safeNextPath } from '@/lib/auth/next-path';
import { isStoreUnavailable } from '@/lib/store/errors';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const target = safeNextPath(Array.isArray(next) ? next[0] : next);
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
      {problem ? (
        <p role="alert" className="rounded border border-bad bg-red-50 px-3 py-2 text-sm text-bad">
          {problem}
        </p>
      ) : (
        <SignInForm next={target} />
      )}
    </section>
  );
}
