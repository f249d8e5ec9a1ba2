import { corsPreflight, postGeosubmit } from '$lib/server/report-requests';

/** Ichnaea geosubmit v2 for open stumbler apps (README, "Open clients"). Public; CORS without credentials. */
export const POST = ({ request, getClientAddress }) => postGeosubmit(request, getClientAddress());
export const OPTIONS = () => corsPreflight();
