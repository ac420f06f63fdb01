import type { Metadata } from 'next';
import { CreateUserForm } from '@/components/admin/create-user-form';
import { UsersTable } from '@/components/admin/users-table';
import { requireUser } from '@/lib/auth/current';
import { oidcSettings, signInOptions } from '@/lib/auth/oidc/settings';
import { listUsers } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requireUser('admin');
  const users = await listUsers();
  const { password } = signInOptions();
  const oidc = oidcSettings();
  return (
    <div className="grid gap-6">
      <header>
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Viewers read plans, history and progress; deployers also run plans and operations; admins also manage users and
          credential settings.{' '}
          {password
            ? 'New users and password resets get a one-time password that must be replaced at first sign-in.'
            : 'Password sign-in is turned off, so no users are added here.'}
          {oidc &&
            ` People who sign in with ${oidc.name} get an account at their first sign-in; their role follows their ${oidc.mapping.claim} claim at every sign-in when it maps to one, and otherwise stays as an admin sets it here.`}
        </p>
      </header>
      {password && <CreateUserForm />}
      <UsersTable users={users} currentUserId={me.id} oidc={oidc && { name: oidc.name, claim: oidc.mapping.claim }} passwords={password} />
    </div>
  );
}
