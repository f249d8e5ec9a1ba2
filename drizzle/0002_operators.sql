-- Reference data: Vietnam's mobile operators and their PLMN ids (MCC 452). Mirrors src/lib/operators/operators.ts.
INSERT INTO operators (code, name, mcc_mnc, color) VALUES
	('viettel', 'Viettel', '{452-04}', '#e4002b'),
	('vnpt', 'VNPT / VinaPhone', '{452-02}', '#0072bc'),
	('mobifone', 'MobiFone', '{452-01}', '#7b3fa0'),
	('vietnamobile', 'Vietnamobile', '{452-05}', '#f7941d'),
	('gmobile', 'Gmobile', '{452-07}', '#6d6e71')
ON CONFLICT (code) DO NOTHING;
