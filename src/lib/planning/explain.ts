import type { VillageStatus } from '../coverage/villages';
import type { CandidateSite } from './candidates';
import type { PlannedSite } from './scenario';

/**
 * One line per proposed site, in the reader's language: what it is and where it stands, whom it
 * newly serves, how much of its dead zone it closes, which villages change status, how far its
 * backhaul is. Pure; the pages and the CLI print it, the exports carry it.
 */

export type PlanLanguage = 'vi' | 'en';

const TYPE = {
	vi: { 'small-cell': 'Trạm nhỏ', macro: 'Trạm vĩ mô' },
	en: { 'small-cell': 'Small cell', macro: 'Macro tower' }
} as const;

const FACILITY = {
	vi: { public_land: 'đất công', commune_office: 'trụ sở xã', school: 'trường học' } as Record<string, string>,
	en: { public_land: 'public land', commune_office: 'the commune office', school: 'a school' } as Record<string, string>
};

const STATUS = {
	vi: { trang_song: 'trắng sóng', lom_song: 'lõm sóng', co_song: 'có sóng' },
	en: { trang_song: 'trắng sóng (no signal)', lom_song: 'lõm sóng (gaps)', co_song: 'served' }
} satisfies Record<PlanLanguage, Record<VillageStatus, string>>;

function where(c: CandidateSite, lang: PlanLanguage, operatorName: (code: string) => string): string {
	const h = c.host;
	if (h?.kind === 'tower') return lang === 'vi' ? `trên trạm ${h.site} của ${operatorName(h.operator)} (dùng chung hạ tầng)` : `on ${operatorName(h.operator)}'s tower ${h.site} (shared)`;
	if (h?.kind === 'facility') {
		const what = FACILITY[lang][h.facilityType] ?? h.facilityType;
		const name = h.name ? ` (${h.name})` : '';
		return lang === 'vi' ? `tại ${what}${name}` : `at ${what}${name}`;
	}
	if (c.source === 'planner') return lang === 'vi' ? 'tại điểm do cán bộ quy hoạch chọn' : "at the planner's point";
	return lang === 'vi' ? 'tại ô lưới mới' : 'at a new grid point';
}

export function explainSite(
	site: PlannedSite,
	lang: PlanLanguage,
	{ communeName, operatorName = (code) => code }: { communeName?: string | null; operatorName?: (code: string) => string } = {}
): string {
	const n = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
	const pct = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 });
	const c = site.candidate;
	const parts: string[] = [`${TYPE[lang][c.type]} ${where(c, lang, operatorName)}`];
	const households = Math.round(site.householdsNewlyCovered);
	const inCommune = communeName ? (lang === 'vi' ? ` ở ${communeName}` : ` in ${communeName}`) : '';
	parts.push(lang === 'vi' ? `thêm ${n.format(households)} hộ có sóng${inCommune}` : `${n.format(households)} households newly served${inCommune}`);
	if (site.zoneId !== null && site.zoneShareClosed > 0) parts.push(lang === 'vi' ? `khép ${pct.format(site.zoneShareClosed)} vùng lõm` : `closes ${pct.format(site.zoneShareClosed)} of its dead zone`);
	for (const v of site.villagesChanged.slice(0, 3))
		parts.push(lang === 'vi' ? `thôn ${v.name}: ${STATUS.vi[v.from]} → ${STATUS.vi[v.to]}` : `${v.name}: ${STATUS.en[v.from]} → ${STATUS.en[v.to]}`);
	if (site.villagesChanged.length > 3) parts.push(lang === 'vi' ? `và ${site.villagesChanged.length - 3} thôn khác` : `and ${site.villagesChanged.length - 3} more villages`);
	if (c.backhaulKm !== null) parts.push(lang === 'vi' ? `cách truyền dẫn ${n.format(c.backhaulKm)} km` : `backhaul ${n.format(c.backhaulKm)} km away`);
	return `${parts[0]}: ${parts.slice(1).join('; ')}.`;
}
