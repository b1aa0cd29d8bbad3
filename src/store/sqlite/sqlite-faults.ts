// Which SQLite errors are faults of the file or the disk (503, retry or re-open) rather than bugs (500).
import type { NotReadyReason } from '../types.js';

/**
 * `busy`: another connection holds the write lock; try again shortly.
 * `full`: the disk is full; the connection itself is fine.
 * `lost`: the file is read-only, gone, replaced or unreadable; open it again on the next request.
 */
export type SqliteFault = 'busy' | 'full' | 'lost';

/** better-sqlite3 reports the extended result code, e.g. SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE. */
const codeOf = (err: unknown): string =>
  typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';

export function sqliteFaultOf(err: unknown): SqliteFault | undefined {
  const code = codeOf(err);
  if (/^SQLITE_(BUSY|LOCKED)(_|$)/.test(code)) return 'busy';
  if (code === 'SQLITE_FULL') return 'full';
  if (/^SQLITE_(READONLY|CANTOPEN|IOERR|NOTADB|CORRUPT|PROTOCOL)(_|$)/.test(code)) return 'lost';
  // The file system's own answers when opening (a directory gone, a read-only mount, a full disk).
  if (['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EIO'].includes(code)) return 'lost';
  if (code === 'ENOSPC') return 'full';
  return undefined;
}

/** What /readyz says about a fault. */
export function reasonOf(err: unknown): NotReadyReason {
  const code = codeOf(err);
  if (/^SQLITE_READONLY/.test(code) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
  if (/^SQLITE_CANTOPEN/.test(code) || code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  const fault = sqliteFaultOf(err);
  if (fault === 'busy') return 'locked';
  if (fault === 'full') return 'disk-full';
  return 'unreadable';
}
