import { describe, expect, it } from 'vitest';
import { describeAuditAction, describeAuditDetails } from './describe';

describe('describeAuditAction', () => {
	it.each([
		['auth.login_failed', { key: 'audit.action.auth.login_failed' }],
		['account.create', { key: 'audit.action.account.create' }],
		['import.towers', { key: 'audit.action.import', kind: 'towers' }],
		['import.fiber-routes.rejected', { key: 'audit.action.import_rejected', kind: 'fiber-routes' }],
		['something.new', { key: null, raw: 'something.new' }]
	])('%s', (action, expected) => expect(describeAuditAction(action)).toEqual(expected));
});

describe('describeAuditDetails', () => {
	it('labels known fields, keeps unknown ones raw, flattens nesting and hides fingerprints', () => {
		expect(describeAuditDetails({ importId: 7, contentHash: 'ab12', rows: 198, counts: { towers: 3 }, tech: ['4G', '5G'], note: null })).toEqual([
			{ field: 'importId', known: true, value: 7 },
			{ field: 'rows', known: true, value: 198 },
			{ field: 'counts.towers', known: false, value: 3 },
			{ field: 'tech', known: false, value: '4G, 5G' },
			{ field: 'note', known: false, value: null }
		]);
		expect(describeAuditDetails(null)).toEqual([]);
	});
});
