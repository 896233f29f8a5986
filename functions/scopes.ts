/**
 * The scope an admin token carries: API Gateway checks it on every admin
 * route, the handlers check it again. Its own module, with no imports: the
 * download's hot path reads it, and must not pull the manifest's event
 * schemas into its bundle.
 */
export const ADMIN_SCOPE = 'downloads/admin';
