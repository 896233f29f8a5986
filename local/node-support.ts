/**
 * The AWS SDK prints, once per process, that its releases after January 2027
 * will need Node 22. The lockfile pins SDK versions that support Node 20, and
 * Lambda runs Node 22, so in local and test processes on a Node 20 machine
 * the notice is noise: this turns off that one warning with the SDK's own
 * switch, and nothing else. Import it before any SDK client is built (the SDK
 * checks when a client is constructed). Node 22+ is still the recommendation.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
