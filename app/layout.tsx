import type { Metadata } from 'next';
import { ConnectionBanner } from '@/components/layout/connection-banner';
import { SiteHeader } from '@/components/layout/site-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Lakerunner Launch Console', template: '%s · Lakerunner Launch Console' },
  description: 'Configure, launch and operate the Lakerunner CloudFormation stacks.',
};

const NAV = [
  { href: '/', label: 'Stacks' },
  { href: '/plan', label: 'Plan' },
] as const;

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
          Skip to content
        </a>
        <ConnectionBanner />
        <SiteHeader nav={NAV} />
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">
          {children}
        </main>
      </body>
    </html>
  );
}
