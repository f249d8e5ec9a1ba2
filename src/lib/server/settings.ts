import { sql } from 'drizzle-orm';
import { checkSettings, DEFAULT_SETTINGS, findSetting, parseSettingValue, SETTING_DEFINITIONS, SettingError, type SettingKey, type Settings } from '../settings/definitions';
import { recordAudit, type Actor } from './audit';
import { cachePerDatabase, readDataVersion } from './data-version';
import type { Database } from './db/index';

const cache = cachePerDatabase<Settings>(1);

/** The settings in force: stored values over the defaults, read once per settings version. */
export async function readSettings(db: Database, known?: string): Promise<Settings> {
	// `known`: the settings data version the caller has read already (one query fewer).
	const version = known ?? (await readDataVersion(db, ['settings']));
	return cache(db).get('settings', version, async () => {
		const rows = await db.rows<{ key: string; value: number }>(sql`select key, value from settings`);
		const settings = { ...DEFAULT_SETTINGS };
		// A key a newer release removed is ignored, not an error.
		for (const r of rows) if (findSetting(r.key)) settings[r.key as SettingKey] = Number(r.value);
		return settings;
	});
}

/** One setting as a person sees it: its definition, value in force and who changed it. */
export interface SettingRow {
	key: SettingKey;
	value: number;
	isDefault: boolean;
	updatedAt: string | null;
	updatedBy: string | null;
}

/** Every setting with its value in force, in definition order. */
export async function listSettings(db: Database): Promise<SettingRow[]> {
	const rows = await db.rows<{ key: string; value: number; updated_at: string | Date; updated_by: string }>(sql`select key, value, updated_at, updated_by from settings`);
	const stored = new Map(rows.map((r) => [r.key, r]));
	return SETTING_DEFINITIONS.map((d) => {
		const r = stored.get(d.key);
		return { key: d.key, value: r ? Number(r.value) : d.default, isDefault: !r, updatedAt: r ? new Date(r.updated_at).toISOString() : null, updatedBy: r?.updated_by ?? null };
	});
}

/**
 * Sets `key` from a person's text (validated against its definition and the cross-setting
 * rules), audited; the default value removes the stored row. Throws {@link SettingError}.
 */
export async function setSetting(db: Database, actor: Actor, key: string, text: string): Promise<number> {
	const value = parseSettingValue(key, text);
	const current = await readSettings(db);
	const broken = checkSettings({ ...current, [key]: value } as Settings);
	if (broken) throw broken;
	const definition = findSetting(key)!;
	const previous = current[key as SettingKey];
	if (value === definition.default) await db.orm.execute(sql`delete from settings where key = ${key}`);
	else
		await db.orm.execute(sql`
			insert into settings (key, value, updated_by) values (${key}, ${value}, ${actor.label})
			on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`);
	await recordAudit(db, actor, 'settings.set', key, { from: previous, to: value });
	return value;
}

export { SettingError };
