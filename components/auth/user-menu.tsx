import Link from 'next/link';
import type { Role } from '@/lib/auth/roles';
import { SignOutButton } from './sign-out-button';

/** The header's corner: who is signed in, with which role, and the way out. */
export function UserMenu({ user, via }: { user?: { username: string; role: Role }; via?: 'session' | 'proxy' }) {
  if (!user) {
    return (
      <Link href="/signin" className="text-brand-dark underline">
        Sign in
      </Link>
    );
  }
  return (
    <>
      <Link href="/account" className="text-slate-700 hover:underline" aria-label={`Your account: ${user.username}, ${user.role}`}>
        <span className="font-medium">{user.username}</span>{' '}
        <span className="rounded bg-brand-light px-1.5 py-0.5 text-xs text-brand-dark">{user.role}</span>
      </Link>
      {via === 'session' ? <SignOutButton /> : <span className="text-xs text-slate-500">single sign-on</span>}
    </>
  );
}
