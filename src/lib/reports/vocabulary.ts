/**
 * The words of a resident's report, free of zod and the settings, so the report form (issue 18)
 * can share them with the server's check (report-body.ts) and stay light.
 */
export const PROBLEMS = ['no_signal', 'weak_signal', 'call_drop', 'slow_data', 'no_fiber'] as const;
export type Problem = (typeof PROBLEMS)[number];
export const POSITION_SOURCES = ['gps', 'map'] as const;
export type PositionSource = (typeof POSITION_SOURCES)[number];
/** The technologies a phone shows (signal/classes.ts TECHNOLOGIES; a test keeps them equal). */
export const PHONE_TECHNOLOGIES = ['2G', '3G', '4G', '5G'] as const;

/** Longest note and contact: a sentence or two; a phone number or an e-mail address. */
export const NOTE_MAX = 500;
export const CONTACT_MAX = 120;
/** Signal bars a phone shows: 0–5 (the body's signalBars range). */
export const MAX_BARS = 5;
