import { describe, expect, it } from 'vitest';
import { describeConnectionError, isConnectionError } from './server-pool';

const url = 'postgres://app:s3cret@db.example:6432/phu_song';
const wrapped = (inner: Error) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause: inner });
const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('describeConnectionError', () => {
	it.each([
		[coded('connect ECONNREFUSED 10.0.0.1:6432', 'ECONNREFUSED'), 'connection refused'],
		[wrapped(Object.assign(new Error('Connection terminated due to connection timeout'), { cause: new Error('Connection terminated unexpectedly') })), 'no answer within the connection timeout'],
		[coded('getaddrinfo ENOTFOUND db.example', 'ENOTFOUND'), 'host name not found'],
		[wrapped(coded('password authentication failed for user "app"', '28P01')), 'authentication failed (password authentication failed for user "app")'],
		[coded('database "phu_song" does not exist', '3D000'), 'database does not exist']
	])('%s', (err, reason) => {
		const line = describeConnectionError(err, url);
		expect(line).toContain('Cannot reach the PostgreSQL server at db.example:6432/phu_song: ');
		expect(line).toContain(reason);
		expect(line).not.toContain('s3cret');
		expect(line).not.toContain('\n');
	});
});

describe('isConnectionError', () => {
	it.each([
		[coded('terminating connection due to administrator command', '57P01'), true],
		[coded('connection failure', '08006'), true],
		[wrapped(new Error('Connection terminated unexpectedly')), true],
		[coded('read ECONNRESET', 'ECONNRESET'), true],
		[coded('syntax error at or near "selec"', '42601'), false],
		[coded('duplicate key value violates unique constraint', '23505'), false],
		[new Error('bbox: is required'), false]
	])('%s → %s', (err, expected) => expect(isConnectionError(err)).toBe(expected));
});
