import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { AuditTable } from '@/components/admin/audit-table';
import { requireUser } from '@/lib/auth/current';
import { listAudit } from '@/lib/store/audit';

export const metadata: Metadata = { title: 'Audit log' };

const PAGE_SIZE = 50;
const pageParam = z.coerce.number().int().min(1).catch(1);

type Props = { searchParams: Promise<{ page?: string | string[] }> };

export default async function AuditPage({ searchParams }: Props) {
  await requireUser('admin');
  const { page: raw } = await searchParams;
  const { entries, page, pages, total } = await listAudit({ page: pageParam.parse(Array.isArray(raw) ? raw[0] : raw), pageSize: PAGE_SIZE });
  return (
    <div className="grid gap-4">
      <header>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="mt-2 text-slate-700">
          Sign-ins, user changes, deployments and teardowns, newest first. {total.toLocaleString('en-US')} entries.
        </p>
      </header>
      <AuditTable entries={entries} />
      <nav aria-label="Audit log pages" className="flex items-center gap-4 text-sm">
        {page > 1 && (
          <Link href={`/admin/audit?page=${page - 1}`} className="text-brand-dark underline" rel="prev">
            Newer entries
          </Link>
        )}
        <span>
          Page {page} of {pages}
        </span>
        {page < pages && (
          <Link href={`/admin/audit?page=${page + 1}`} className="text-brand-dark underline" rel="next">
            Older entries
          </Link>
        )}
      </nav>
    </div>
  );
}
