import type { UserListing } from '@/lib/auth/users';
import { RoleForm } from './role-form';
import { UserActions } from './user-actions';
import { utcTime } from '@/components/ui/time';

const when = (date: Date | null) => (date ? `${utcTime(date, 'minute')} UTC` : 'never');

export function UsersTable({ users, currentUserId }: { users: readonly UserListing[]; currentUserId: number }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Console users</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">User</th>
            <th scope="col" className="px-3 py-2">Role</th>
            <th scope="col" className="px-3 py-2">Last sign-in</th>
            <th scope="col" className="px-3 py-2">Sessions</th>
            <th scope="col" className="px-3 py-2">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-t border-slate-200 align-top">
              <th scope="row" className="px-3 py-2 font-medium">
                {user.username}
                {user.id === currentUserId && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
                <span className="block text-xs font-normal text-slate-500">
                  {user.source === 'proxy' ? 'single sign-on' : 'password'}
                  {user.mustChangePassword && ' · must choose a password'}
                </span>
              </th>
              <td className="px-3 py-2">
                <RoleForm id={user.id} username={user.username} role={user.role} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{when(user.lastSignInAt)}</td>
              <td className="px-3 py-2">{user.activeSessions}</td>
              <td className="px-3 py-2">
                <UserActions id={user.id} username={user.username} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
