import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig: database URLs', () => {
	const primary = 'postgres://app@db1:5432/phu_song';

	it('reads replicas from DATABASE_READ_URL, comma-separated, blanks ignored', () => {
		const config = readConfig({ DATABASE_URL: primary, DATABASE_READ_URL: ' postgres://app@db2/phu_song , ,postgresql://app@db3/phu_song' });
		expect(config.readUrls).toEqual(['postgres://app@db2/phu_song', 'postgresql://app@db3/phu_song']);
		expect(readConfig({ DATABASE_URL: primary }).readUrls).toEqual([]);
	});

	it('refuses a replica that is not a postgres URL, or replicas without a server', () => {
		expect(() => readConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://db2' })).toThrow(/DATABASE_READ_URL must list postgres:\/\//);
		expect(() => readConfig({ DATABASE_READ_URL: 'postgres://db2/x' })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
	});
});
