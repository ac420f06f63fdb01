import type { Metadata } from 'next';
import { UserMenu } from '@/components/auth/user-menu';
import { ConnectionBanner } from '@/components/layout/connection-banner';
import { SiteHeader } from '@/components/layout/site-header';
import { getIdentity } from '@/lib/auth/current';
import { canOpen } from '@/lib/auth/policy';
import { isStoreUnavailable } from '@/lib/store/errors';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Lakerunner Launch Console', template: '%s · Lakerunner Launch Console' },
  description: 'Configure, launch and operate the Lakerunner CloudFormation stacks.',
};

const NAV = [
  { href: '/', label: 'Stacks' },
  { href: '/plan', label: 'Plan' },
  { href: '/deployments', label: 'Deployments' },
  { href: '/history', label: 'History' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/audit', label: 'Audit log' },
] as const;

async function currentIdentity() {
  try {
    return await getIdentity();
  } catch (error) {
    // proxy.ts has already answered such requests with a 503; the header must not fail the page.
    if (isStoreUnavailable(error)) return undefined;
    throw error;
  }
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const identity = await currentIdentity();
  const user = identity && { username: identity.user.username, role: identity.user.role };
  return (
    <html lang="en">
      <body>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
          Skip to content
        </a>
        <ConnectionBanner />
        <SiteHeader nav={NAV.filter((item) => canOpen(user?.role, item.href))}>
          <UserMenu user={user} via={identity?.via} />
        </SiteHeader>
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">
          {children}
        </main>
      </body>
    </html>
  );
}
