-- drizzle-kit does not emit CREATE EXTENSION; every later migration needs PostGIS types.
CREATE EXTENSION IF NOT EXISTS postgis;
