import { describe, expect, it } from 'vitest';
import { DOWNLOAD_FIRST_BYTES, DOWNLOAD_MAX_BYTES, SPEED_TEST_MAX_BYTES, UPLOAD_BYTES, median, megabitsPerSecond, secondDownloadBytes } from './speed-test';

describe('the quick speed test', () => {
	it('turns bytes over time into Mbit/s', () => {
		expect(megabitsPerSecond(1_000_000, 1000)).toBe(8);
		expect(megabitsPerSecond(31_250, 1000)).toBe(0.25); // 2G-like: 250 kbit/s
		expect(megabitsPerSecond(0, 1000)).toBeNull();
		expect(megabitsPerSecond(1000, 0)).toBeNull();
	});

	it('takes the median round trip', () => {
		expect(median([300, 900, 310])).toBe(310);
		expect(median([1, 3])).toBe(2);
		expect(median([])).toBeNull();
	});

	it('sizes the second download from the first, within about 1 MB in all', () => {
		// 100 kB in 3.2 s (2G): no second download.
		expect(secondDownloadBytes(DOWNLOAD_FIRST_BYTES, 3200)).toBe(0);
		// 100 kB in 400 ms: about 2 s more at that rate.
		expect(secondDownloadBytes(DOWNLOAD_FIRST_BYTES, 400)).toBe(500_000);
		// Fast links stop at the cap.
		expect(secondDownloadBytes(DOWNLOAD_FIRST_BYTES, 10)).toBe(DOWNLOAD_MAX_BYTES);
		expect(DOWNLOAD_FIRST_BYTES + DOWNLOAD_MAX_BYTES + UPLOAD_BYTES).toBeLessThanOrEqual(SPEED_TEST_MAX_BYTES);
	});
});
