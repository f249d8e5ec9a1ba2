/**
 * Folds Vietnamese text to a search key: lower case, no tone or vowel marks, `đ` → `d`,
 * single spaces. NFD leaves `đ`/`Đ` intact (they are letters, not marked letters), so they
 * are mapped explicitly.
 */
export function toSearchKey(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}
