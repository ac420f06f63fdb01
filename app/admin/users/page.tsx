import type { Metadata } from 'next';
import { CreateUserForm } from '@/components/admin/create-user-form';
import { UsersTable } from '@/components/admin/users-table';
import { requireUser } from '@/lib/auth/current';
import { listUsers } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requireUser('admin');
  const users = listUsers();
  return (
    <div className="grid gap-6">
      <header>
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Viewers read plans, history and progress; deployers also run plans and operations; admins also manage users and
          credential settings. New users and password resets get a one-time password that must be replaced at first sign-in.
        </p>
      </header>
      <CreateUserForm />
      <UsersTable users={users} currentUserId={me.id} />
    </div>
  );
}
