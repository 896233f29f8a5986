/**
 * The pages' runtime configuration, read at start from `/console/config.json`
 * so that one build serves every environment: the local runtime answers it
 * with `mode: 'local'`; in AWS the deploy writes it with the OIDC issuer.
 */
export interface WebConfig {
  /** `local`: sign in through the local runtime's `/_local/token`; `oidc`: authorization code + PKCE. */
  mode: 'local' | 'oidc';
  issuer: string;
  clientId: string;
  /** The API's base URL; `''` is the page's own origin. */
  apiUrl: string;
  /** The customer page's OIDC client, when it is not `clientId`. */
  customerClientId?: string;
  /** Origins allowed to hand the embedded customer page a token by `postMessage` (`*`: any). */
  embedOrigins?: string[];
}

export const CONFIG_PATH = '/console/config.json';

export const loadConfig = async (path = CONFIG_PATH): Promise<WebConfig> => {
  const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`Could not load ${path} (HTTP ${response.status}).`);
  const config = (await response.json()) as Partial<WebConfig>;
  if ((config.mode !== 'local' && config.mode !== 'oidc') || typeof config.apiUrl !== 'string') {
    throw new Error(`${path} needs { mode: 'local' | 'oidc', issuer, clientId, apiUrl }.`);
  }
  if (config.mode === 'oidc' && (!config.issuer || !config.clientId)) throw new Error(`${path}: oidc mode needs issuer and clientId.`);
  return { issuer: '', clientId: '', ...config } as WebConfig;
};
