/**
 * Plain words for audit entries: an action code (`auth.login_failed`, `import.towers.rejected`)
 * becomes a message key and its arguments, and `details` become labelled lines, so the audit page
 * reads as sentences in either language. Unknown codes and fields fall back to their raw form.
 */

/** Action codes with their own wording. */
export const AUDIT_ACTIONS = [
	'auth.login',
	'auth.login_failed',
	'auth.logout',
	'auth.throttled',
	'account.create',
	'account.disable',
	'account.enable',
	'account.reset',
	'account.set_password',
	'demo.seed',
	'import.undo',
	'settings.set',
	'plan.save',
	'proposal.create',
	'proposal.transition',
	'report.moderate'
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How to word an action: a key of the `audit.action.*` messages and what fills it in. */
export type ActionWording =
	| { key: `audit.action.${AuditAction}`; kind?: undefined }
	| { key: 'audit.action.import' | 'audit.action.import_rejected'; kind: string }
	| { key: null; raw: string };

/** The wording of an action code. */
export function describeAuditAction(action: string): ActionWording {
	if ((AUDIT_ACTIONS as readonly string[]).includes(action)) return { key: `audit.action.${action as AuditAction}` };
	const imported = /^import\.([a-z-]+)(\.rejected)?$/.exec(action);
	if (imported) return { key: imported[2] ? 'audit.action.import_rejected' : 'audit.action.import', kind: imported[1] };
	return { key: null, raw: action };
}

/** Detail fields with a label of their own (`audit.field.*`). */
export const AUDIT_FIELDS = [
	'address',
	'disabled',
	'role',
	'operatorCode',
	'withPassword',
	'scope',
	'failures',
	'waitSeconds',
	'importId',
	'rows',
	'inserted',
	'updated',
	'duplicate',
	'invalid',
	'skipped',
	'repaired',
	'removed',
	'restored',
	'counts',
	'seed',
	'from',
	'to',
	'communeCode',
	'reason',
	'name',
	'operator',
	'sites',
	'proposals',
	'action',
	'into'
] as const;

/** One line of details: a field (known, or raw) and its value as text-ready parts. */
export interface DetailLine {
	field: string;
	known: boolean;
	value: string | number | boolean | null;
}

// Fingerprints are for machines, not for reading (the import list shows them in full).
const HIDDEN_FIELDS = new Set(['contentHash']);

/** Flattens `details` into labelled lines (nested objects as `parent.child`), skipping empty ones. */
export function describeAuditDetails(details: Record<string, unknown> | null): DetailLine[] {
	const lines: DetailLine[] = [];
	const visit = (prefix: string, value: unknown) => {
		if (value === undefined || HIDDEN_FIELDS.has(prefix)) return;
		if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
			for (const [k, v] of Object.entries(value)) visit(prefix ? `${prefix}.${k}` : k, v);
			return;
		}
		const text = Array.isArray(value) ? value.join(', ') : (value as string | number | boolean | null);
		lines.push({ field: prefix, known: (AUDIT_FIELDS as readonly string[]).includes(prefix), value: text });
	};
	visit('', details ?? {});
	return lines;
}
