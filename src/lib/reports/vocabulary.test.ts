import { describe, expect, it } from 'vitest';
import { TECHNOLOGIES } from '../signal/classes';
import { PHONE_TECHNOLOGIES } from './vocabulary';

describe('the report vocabulary', () => {
	it('offers the technologies the signal classes know', () => expect([...PHONE_TECHNOLOGIES]).toEqual([...TECHNOLOGIES]));
});
