import { checkPosition } from './bounds';
import type { ColumnMap } from './columns';
import type { ImportIssue } from './issues';
import { parseNumberCell, parseTimestampCell } from './values';

/**
 * Reads typed cells out of one CSV record and collects every problem, each naming the row, line,
 * column and value — so one pass reports all that is wrong with a row, not just the first thing.
 */
export class RowReader {
	readonly issues: ImportIssue[] = [];

	constructor(
		private readonly values: readonly string[],
		private readonly columns: ColumnMap,
		private readonly where: { row: number; line: number },
		private readonly options: { decimalComma: boolean }
	) {}

	raw(field: string): string | null {
		const column = this.columns[field];
		if (!column) return null;
		const value = this.values[column.index]?.trim() ?? '';
		return value === '' || value === '-' ? null : value;
	}

	fail(field: string | null, reason: string, value: string | null = field ? this.raw(field) : null): void {
		this.issues.push({ ...this.where, column: field ? (this.columns[field]?.header ?? field) : null, value, reason });
	}

	/** A number, optionally within [min, max] (unit for the message); null when empty. */
	number(field: string, range?: { min: number; max: number; unit: string }): number | null {
		const raw = this.raw(field);
		if (raw === null) return null;
		const parsed = parseNumberCell(raw, this.options);
		if ('error' in parsed) return this.fail(field, parsed.error), null;
		const value = parsed.value;
		if (value !== null && range && (value < range.min || value > range.max)) {
			this.fail(field, `is outside ${range.min}…${range.max} ${range.unit}`);
			return null;
		}
		return value;
	}

	/** A whole number ≥ 0; null when empty. */
	count(field: string): number | null {
		const value = this.number(field);
		if (value !== null && (!Number.isInteger(value) || value < 0)) {
			this.fail(field, 'must be a whole number ≥ 0');
			return null;
		}
		return value;
	}

	timestamp(field: string): Date | null {
		const raw = this.raw(field);
		if (raw === null) return null;
		const parsed = parseTimestampCell(raw);
		if ('error' in parsed) return this.fail(field, parsed.error), null;
		return parsed.value;
	}

	/** A required position in Vietnam as `[lng, lat]`; swapped coordinates are named as such. */
	position(latField: string, lngField: string): [number, number] | null {
		const lat = this.required(latField, this.number(latField));
		const lng = this.required(lngField, this.number(lngField));
		if (lat === null || lng === null) return null;
		const where = checkPosition(lng, lat);
		if (where === 'swapped') this.fail(latField, `latitude and longitude look swapped (${lat}, ${lng} is outside Vietnam; ${lng}, ${lat} is inside)`, `${lat}`);
		else if (where === 'outside') this.fail(latField, `position ${lat}, ${lng} is outside Vietnam`, `${lat}`);
		return where === 'ok' ? [lng, lat] : null;
	}

	/** A required value: records an issue when empty. */
	required<T>(field: string, value: T | null): T | null {
		if (value === null && !this.issues.some((i) => i.column === (this.columns[field]?.header ?? field))) this.fail(field, 'is required', '');
		return value;
	}
}
