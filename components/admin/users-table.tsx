import type { UserListing } from '@/lib/auth/users';
import { RoleForm } from './role-form';
import { RoleSourceNote } from './role-source-note';
import { UserActions } from './user-actions';
import { utcTime } from '@/components/ui/time';

const when = (date: Date | null) => (date ? `${utcTime(date, 'minute')} UTC` : 'never');

const SOURCES = { local: 'password', proxy: 'single sign-on' } as const;

export interface UsersTableProps {
  users: readonly UserListing[];
  currentUserId: number;
  /** The OpenID Connect provider's name and role claim, when it is set up. */
  oidc?: { name: string; claim: string };
  /** Whether password sign-in is on (else resetting a password would be a dead end). */
  passwords: boolean;
}

export function UsersTable({ users, currentUserId, oidc, passwords }: UsersTableProps) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
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
                  {user.source === 'oidc' ? `sign-in with ${oidc?.name ?? 'OpenID Connect'}` : SOURCES[user.source]}
                  {user.mustChangePassword && ' · must choose a password'}
                </span>
                {user.oidc && (
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs font-normal text-slate-500">
                    <dt>Issuer</dt>
                    <dd className="break-all font-mono">{user.oidc.issuer}</dd>
                    <dt>Subject</dt>
                    <dd className="break-all font-mono">{user.oidc.subject}</dd>
                  </dl>
                )}
              </th>
              <td className="px-3 py-2">
                <RoleForm id={user.id} username={user.username} role={user.role} />
                {user.source === 'oidc' && <RoleSourceNote id={`role-source-${user.id}`} source={user.roleSource} claim={oidc?.claim ?? 'role'} />}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{when(user.lastSignInAt)}</td>
              <td className="px-3 py-2">{user.activeSessions}</td>
              <td className="px-3 py-2">
                <UserActions id={user.id} username={user.username} passwords={passwords} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
