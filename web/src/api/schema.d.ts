// Generated from openapi.json by `npm run openapi`: do not edit.

export interface paths {
    "/.well-known/license-keys.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public keys (JWKS, Ed25519) license certificates verify against
         * @description Every key not yet retired: after a rotation the previous key stays here until its retire date, so certificates issued before keep verifying.
         */
        get: operations["licenseKeySet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/bucket/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Objects already in the files bucket, to import
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["listBucketObjects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Manager: the customers who bought with an email address, and their invoices
         * @description The address is matched as the storefront sent it, and in lower case.
         *
         *     Needs the `downloads/admin` scope.
         */
        get: operations["findCustomers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/customers/{customerId}/downloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Manager: a customer's links, newest first, with their sharing signals and the customer's count of resets
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["listCustomerDownloads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/customers/{customerId}/downloads/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset all of a customer's links
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["resetCustomerDownloads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/customers/{customerId}/licenses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Manager: a customer's license keys, newest first
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["listCustomerLicenses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The operator dashboard: downloads per day, refusals by reason, top products, flagged links, bounced emails
         * @description From day counters the stream consumers keep (each change counted once, never a table scan): served downloads and flagged links from the links table's stream, refusals from the link log's, bounces from SES's events. Days are UTC; today's counts lag the downloads by the streams' delay (about a second).
         *
         *     Needs the `downloads/admin` scope.
         */
        get: operations["readDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The file library: every uploaded or imported file, newest first
         * @description `q` matches part of the file's display name, in any case.
         *
         *     Needs the `downloads/admin` scope.
         */
        get: operations["listFiles"];
        put?: never;
        /**
         * Start an upload: a presigned PUT, or a multipart upload with a presigned URL per part
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["startUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file record: name, size, content type, state
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["getFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/files/{fileId}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish an upload; the file is usable only after this
         * @description A multipart upload completes with its parts and their ETags.
         *
         *     Needs the `downloads/admin` scope.
         */
        post: operations["completeUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/files/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register an object already in the files bucket as a file
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["importObject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/invoices/{invoiceId}/downloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Manager: an invoice's links and its payment state
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["listInvoiceDownloads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/invoices/{invoiceId}/downloads/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New links for an invoice; the old tokens stop working at once
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["regenerateInvoiceDownloads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/licenses/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Manager: one key, its owner and its activations
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["findLicense"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/licenses/{key}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A key's log: activations, validations, payment changes, operators' actions; newest first
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["readLicenseLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/licenses/{key}/reset-activations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Frees every seat of a key
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["resetLicenseActivations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/licenses/{key}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revokes a key for good
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["revokeLicense"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/links/{linkId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A link's log: downloads served and refused, operators' actions; newest first
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["readLinkLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/links/{linkId}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a link's count and/or set a new expiry; also lifts a sharing flag and its suspension
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["resetLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/links/{linkId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke one link
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["revokeLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Digital products and their settings, sorted by name (or id)
         * @description `q` searches names and ids in any case; `status` keeps the products on sale or the archived ones.
         *
         *     Needs the `downloads/admin` scope.
         */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A product's digital settings
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["getProduct"];
        /**
         * Create or edit a product's digital settings
         * @description With `If-None-Match: *` it only creates (`412` when the product exists, which stays unchanged); with `If-Match: <ETag>` it only updates that version (`412` after someone else's change). Without either it creates or merges onto the current version. Each is one conditional write on the product's `version`. Fields left out keep their value (or the default). Links already issued keep the settings they were made with. A product that declares variant options is refused (`VARIANT_OPTIONS_NOT_ALLOWED`); `fileIds` must name completed files.
         *
         *     Needs the `downloads/admin` scope.
         */
        put: operations["putProduct"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a product: new purchases get no links (a physical line); links already issued keep working
         * @description Archiving an archived product changes nothing. `If-Match` is optional.
         *
         *     Needs the `downloads/admin` scope.
         */
        post: operations["archiveProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}/license-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A product's pool: keys available or assigned, with both counts
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["listLicensePool"];
        put?: never;
        /**
         * Imports keys into a product's pool
         * @description Idempotent: keys already in this pool are left as they are. A key named twice, or one that exists elsewhere, is refused, and then nothing is imported.
         *
         *     Needs the `downloads/admin` scope.
         */
        post: operations["importLicenseKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}/unarchive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put an archived product back on sale
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["unarchiveProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}/updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A product's updates (its published versions), newest first
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["listProductUpdates"];
        put?: never;
        /**
         * Publish a new version of a product's files to its past buyers
         * @description The product sells the new files from now on, and every link of the product that serves an old file serves its new one (same token, same count and limit; revoked links stay revoked), repointed asynchronously in bounded batches that resume after a crash. Links show `fileVersion` and `updatedUtc`. With `notify`, each customer concerned gets one `ProductUpdated` event and one email. Answers `202` at once; `Location` is the update, whose `GET` shows the progress.
         *
         *     Needs the `downloads/admin` scope.
         */
        post: operations["startProductUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}/updates/{updateId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An update's progress
         * @description Needs the `downloads/admin` scope.
         */
        get: operations["getProductUpdate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/products/{productId}/updates/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * How many links and customers an update would reach; changes nothing
         * @description Needs the `downloads/admin` scope.
         */
        post: operations["previewProductUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/downloads/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a file: counts one download
         * @description Answers `302` to a short-lived presigned S3 URL, or with `Accept: application/json` a `200 { url, expiresInSeconds }`. Each successful answer counts one download, atomically. A forged or malformed token is a `404`.
         *
         *     A browser that opens a `downloadUrl` without a bearer token (a link in an email, a bookmark) never reaches this route: the local runtime (and CloudFront in AWS) answers its navigation with `302` to `/account/downloads#download=<token>`, the customer page, which signs the customer in and calls this route with the bearer and `Accept: application/json`.
         */
        get: operations["download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/downloads/customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's download links, newest first
         * @description The customer is the token's `sub`; never a parameter.
         */
        get: operations["listMyDownloads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/downloads/invoice/{invoiceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's invoices: its download links */
        get: operations["listMyInvoiceDownloads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The seller's software takes a seat for an instance
         * @description No JWT: the key is the credential. One conditional write decides: concurrent activations never exceed the limit, and the same `instanceId` again is the same activation. Rate limited per key and per client address.
         */
        post: operations["activateLicense"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's license keys, newest first */
        get: operations["listMyLicenses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Frees an instance's seat
         * @description No JWT. An instance without a seat is fine: the answer is the same.
         */
        post: operations["deactivateLicense"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The key's state now, with a certificate the software checks offline until it expires
         * @description No JWT. A suspended or revoked key, or an instance without a seat, is `valid: false` (and its certificate says so).
         */
        post: operations["validateLicense"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/woocommerce": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * WooCommerce's order webhooks (topics order.created and order.updated)
         * @description No JWT: `X-WC-Webhook-Signature` (base64 HMAC-SHA256 of the raw body with the webhook secret) is the credential, checked in constant time; a bad one is a `401` that writes nothing. The creation ping (`webhook_id=<id>`) answers `200`. An order is mapped by its products' `externalIds` (`woo:product:<id>`) onto the payment events: `processing`/`completed` delivers, `on-hold` suspends, `refunded`/`cancelled` revokes. One that can never be mapped is parked in the dead letters with its reason and answered `200` (`status: parked`), so WooCommerce does not retry it.
         */
        post: operations["receiveWooCommerceWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Activation: {
            /** @description The same for the same key and instance: activating again is the same activation */
            activationId: string;
            /** @description null: unlimited */
            activationsLeft: number | null;
        };
        BucketObjectPage: {
            items: {
                key: string;
                /**
                 * @description ISO 8601 UTC time
                 * @example 2026-04-27T00:00:00Z
                 */
                lastModified: string;
                size: number;
            }[];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        CustomerDownloadsPage: {
            customer: {
                customerId: string;
                /** @description How often an operator reset this customer's links (one per reset request) */
                resets: number;
            };
            items: components["schemas"]["DownloadLink"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        CustomerLicenses: {
            customerId: string;
            items: components["schemas"]["OperatorLicense"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        CustomerMatch: {
            customerId: string;
            /** @description Newest first */
            invoices: {
                /**
                 * @description ISO 8601 UTC time
                 * @example 2026-04-27T00:00:00Z
                 */
                createdAt: string;
                invoiceId: string;
                /**
                 * @description The payment state the latest event decided; null before any payment event
                 * @enum {string|null}
                 */
                state: "paid" | "on_hold" | "refunded" | null;
            }[];
        };
        CustomerMatches: {
            email: string;
            /** @description Customers who bought with this address, newest purchase first */
            items: components["schemas"]["CustomerMatch"][];
        };
        CustomerReset: {
            customerId: string;
            updated: number;
        };
        Dashboard: {
            /** @description Every day of the window, oldest first; a day without downloads is 0 */
            downloadsPerDay: {
                /**
                 * @description A UTC day, `YYYY-MM-DD`
                 * @example 2026-04-27
                 */
                day: string;
                downloads: number;
            }[];
            /**
             * @description A UTC day, `YYYY-MM-DD`
             * @example 2026-04-27
             */
            from: string;
            /** @description Most first */
            refusalsByReason: {
                count: number;
                /** @description The refusal's error code, e.g. `LINK_EXPIRED` */
                reason: string;
            }[];
            /**
             * @description A UTC day, `YYYY-MM-DD`
             * @example 2026-04-27
             */
            to: string;
            /** @description Most downloaded first, at most 10 */
            topProducts: {
                downloads: number;
                productId: string;
            }[];
            totals: {
                bouncedEmails: number;
                downloads: number;
                /** @description Links the sharing signals flagged */
                flaggedLinks: number;
                refusals: number;
            };
        };
        Deactivation: {
            activationsLeft: number | null;
        };
        DownloadGrant: {
            expiresInSeconds: number;
            /** @description Short-lived presigned S3 GET URL */
            url: string;
        };
        DownloadLink: {
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            createdUtc: string | null;
            /** @enum {string} */
            deliveryMethod: "InstantDownload" | "EmailDelivered";
            downloadCount: number;
            /** @description null for `EmailDelivered` links in customer views: those reach the customer by email only. */
            downloadUrl: string | null;
            /**
             * @description null: never expires
             * @example 2026-04-27T00:00:00Z
             */
            expiresUtc: string | null;
            /** @example ebook.pdf */
            fileName: string;
            /** @description 1 for the file the link was issued with; each update of the product's file adds one */
            fileVersion: number;
            id: string;
            invoiceId: string;
            isDownloadLimitReached: boolean;
            isExpired: boolean;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            lastDownloadUtc: string | null;
            /** @description null: unlimited */
            maxDownloads: number | null;
            productId: string;
            /** @description The product's name when the link was issued; null when it had none. */
            productName: string | null;
            /** @description null: unlimited */
            remainingDownloads: number | null;
            /** @description Operators' views only: the link's sharing signals and their evidence */
            sharing?: {
                /** @description Each network within the window and when it was last seen, most recent first */
                evidence: {
                    /**
                     * @description ISO 8601 UTC time
                     * @example 2026-04-27T00:00:00Z
                     */
                    lastSeenUtc: string;
                    /** @example 203.0.113.0/24 */
                    network: string;
                }[];
                /** @description Crossed the threshold (more than 5 networks by default); an operator reset clears it */
                flagged: boolean;
                /** @description Networks counted when it was flagged */
                flaggedNetworks: number | null;
                /**
                 * @description ISO 8601 UTC time
                 * @example 2026-04-27T00:00:00Z
                 */
                flaggedUtc: string | null;
                /** @description Distinct networks (IPv4 /24, IPv6 /48) the link was downloaded from within the window (README: 30 days) */
                networks: number;
                /** @description Refused (403 `LINK_SUSPENDED_SHARING`) until an operator resets it: the product sets `suspendOnSharing` */
                suspended: boolean;
                /** @description Distinct user agents within the window */
                userAgents: number;
            };
            /** @enum {string} */
            status: "active" | "suspended" | "revoked";
            /**
             * @description When an update last gave the link a new file; null: never
             * @example 2026-04-27T00:00:00Z
             */
            updatedUtc: string | null;
        };
        DownloadLinkPage: {
            items: components["schemas"]["DownloadLink"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        Error: {
            error: {
                /** @example LINK_EXPIRED */
                code: string;
                /** @description For 400s: what was wrong, e.g. `[{ path, message }]` per invalid field. */
                details?: unknown;
                message: string;
            };
        };
        File: {
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            completedAt: string | null;
            contentType: string;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            createdAt: string;
            fileId: string;
            fileName: string;
            /** @description The bucket key of imported files; null for uploads (their keys stay hidden). */
            key: string | null;
            size: number;
            /** @enum {string} */
            source: "upload" | "import";
            /** @enum {string} */
            state: "pending" | "ready";
        };
        FilePage: {
            items: components["schemas"]["File"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        InvoiceDownloadsPage: {
            invoice: {
                customerEmail: string | null;
                customerId: string | null;
                invoiceId: string;
                /**
                 * @description The payment state the latest event decided; null before any payment event
                 * @enum {string|null}
                 */
                state: "paid" | "on_hold" | "refunded" | null;
            };
            items: components["schemas"]["DownloadLink"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        License: {
            /** @description null: unlimited */
            activationLimit: number | null;
            /** @description Instances active now */
            activations: number;
            /** @description null: unlimited */
            activationsLeft: number | null;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            assignedUtc: string | null;
            invoiceId: string | null;
            /** @example 7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA */
            key: string;
            productId: string;
            productName: string | null;
            /** @enum {string} */
            status: "active" | "suspended" | "revoked";
        };
        LicenseImport: {
            /** @description Keys already in this pool: an import repeated imports nothing twice */
            alreadyImported: number;
            assigned: number;
            available: number;
            imported: number;
            productId: string;
        };
        LicenseKeySet: {
            keys: ({
                /** @enum {string} */
                alg: "EdDSA";
                crv: string;
                kid: string;
                kty: string;
                /** @enum {string} */
                use: "sig";
                x: string;
            } & {
                [key: string]: unknown;
            })[];
        };
        LicenseKeySettings: {
            activationLimit: number;
            /** @enum {string} */
            mode: "generated" | "pool";
        } | null;
        LicenseLogPage: {
            items: {
                /** @description The operator's `sub`, for admin actions */
                actor: string | null;
                at: string;
                instanceId: string | null;
                ip: string | null;
                /** @enum {string} */
                kind: "assigned" | "imported" | "activated" | "deactivated" | "validated" | "reset" | "revoked" | "payment";
                status: string | null;
                userAgent: string | null;
            }[];
            key: string;
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        LicensePage: {
            items: components["schemas"]["License"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        LicensePool: {
            counts: {
                assigned: number;
                available: number;
            };
            items: components["schemas"]["OperatorLicense"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
            productId: string;
            /** @enum {string} */
            status: "available" | "assigned";
        };
        LinkLogEntry: {
            /** @description The operator's `sub`, for admin actions */
            actor: string | null;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            at: string;
            details: {
                [key: string]: unknown;
            } | null;
            ip: string | null;
            /** @enum {string} */
            kind: "download" | "admin";
            /** @description `ok`, a refusal's error code, or an operator action (`reset`, `revoke`, …) */
            outcome: string;
            userAgent: string | null;
        };
        LinkLogPage: {
            items: components["schemas"]["LinkLogEntry"][];
            linkId: string;
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
            sharing: components["schemas"]["SharingSignals"];
        };
        OperatorLicense: {
            /** @description null: unlimited */
            activationLimit: number | null;
            /** @description Instances active now */
            activations: number;
            /** @description null: unlimited */
            activationsLeft: number | null;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            assignedUtc: string | null;
            customerId: string | null;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            importedUtc: string | null;
            instances: {
                activatedUtc: string;
                activationId: string;
                instanceId: string;
            }[];
            invoiceId: string | null;
            /** @example 7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA */
            key: string;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            lastValidatedUtc: string | null;
            productId: string;
            productName: string | null;
            /** @enum {string} */
            source: "generated" | "pool";
            /**
             * @description `available`: in a pool, not sold yet
             * @enum {string}
             */
            status: "available" | "active" | "suspended" | "revoked";
        };
        Product: {
            /**
             * @description Set while archived: new purchases get no links (a physical line); links already issued keep working.
             * @example 2026-04-27T00:00:00Z
             */
            archivedAt: string | null;
            /** @enum {string} */
            deliveryMethod: "InstantDownload" | "EmailDelivered";
            /** @description 0: links never expire */
            downloadLinkExpiryDays: number;
            /** @description The product in the storefronts (`shopify:product:<id>`, `stripe:product:<prod_…>`, `woo:product:<id>`); each names at most one product. */
            externalIds: string[];
            fileIds: string[];
            isDigital: boolean;
            /** @description One license key per unit bought (generated, or from the pool the operator imported); null: none */
            licenseKeys: {
                /** @description 0: unlimited */
                activationLimit: number;
                /** @enum {string} */
                mode: "generated" | "pool";
            } | null;
            /** @description 0: unlimited */
            maxDownloadsPerLink: number;
            name: string | null;
            productId: string;
            /** @description Each buyer's copy of a PDF carries a line naming them; null: off */
            stamping: {
                enabled: boolean;
                /** @description null: "Licensed to {customerEmail} — order {invoiceId}" */
                text: string | null;
            } | null;
            /** @description A link flagged for sharing is suspended until an operator resets it; false: only flagged */
            suspendOnSharing: boolean;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            updatedAt: string;
            updatedBy: string | null;
            /** @description One more on every change; the `ETag` header is this number, quoted (`"3"`). */
            version: number;
        };
        ProductPage: {
            items: components["schemas"]["Product"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        ProductSettings: {
            attributes?: unknown;
            /** @enum {string} */
            deliveryMethod?: "InstantDownload" | "EmailDelivered";
            downloadLinkExpiryDays?: number;
            externalIds?: string[];
            fileIds?: string[];
            hasVariants?: boolean;
            isDigital?: boolean;
            licenseKeys?: components["schemas"]["LicenseKeySettings"];
            maxDownloadsPerLink?: number;
            name?: string;
            options?: unknown;
            /** @description Each buyer's copy of a PDF carries a line naming them, on every page and in its metadata; other files are served as they are */
            stamping?: {
                enabled: boolean;
                /**
                 * @description The line on every page; `{customerEmail}`, `{invoiceId}` and `{customerId}` are filled in
                 * @example Licensed to {customerEmail} — order {invoiceId}
                 */
                text?: string;
            };
            /** @description A link downloaded from more networks than the sharing threshold allows is suspended (403 `LINK_SUSPENDED_SHARING`) until an operator resets it; default false: only flagged */
            suspendOnSharing?: boolean;
            variantOptions?: unknown;
            variants?: unknown;
        };
        ProductUpdate: {
            /** @description Steps done so far (a page of links each) */
            batches: number;
            createdBy: string | null;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            createdUtc: string;
            customersNotified: number;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            finishedUtc: string | null;
            notify: boolean;
            productId: string;
            /** @description Old file id → new file id */
            replace: {
                [key: string]: string;
            };
            /** @description Links this update gave the new file */
            repointed: number;
            /** @description Links of the product read so far */
            scanned: number;
            /** @description Links left as they are: revoked, or serving another file */
            skipped: number;
            /**
             * @description Links are repointed first, then (with `notify`) customers are told
             * @enum {string}
             */
            status: "repointing" | "notifying" | "done";
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            updatedUtc: string;
            updateId: string;
        };
        ProductUpdatePage: {
            items: components["schemas"]["ProductUpdate"][];
            /** @description Pass as `?cursor=` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        ProductUpdatePreview: {
            /** @description false: the product has more links than a preview reads (50,000); the counts are a lower bound */
            complete: boolean;
            /** @description Distinct customers those links belong to: whom the update reaches */
            customers: number;
            /** @description Links that serve one of the old files and are not revoked */
            links: number;
            productId: string;
        };
        Regenerated: {
            invoiceId: string;
            items: components["schemas"]["DownloadLink"][];
            nextCursor: null;
        };
        SharingSignals: {
            /** @description Each network within the window and when it was last seen, most recent first */
            evidence: {
                /**
                 * @description ISO 8601 UTC time
                 * @example 2026-04-27T00:00:00Z
                 */
                lastSeenUtc: string;
                /** @example 203.0.113.0/24 */
                network: string;
            }[];
            /** @description Crossed the threshold (more than 5 networks by default); an operator reset clears it */
            flagged: boolean;
            /** @description Networks counted when it was flagged */
            flaggedNetworks: number | null;
            /**
             * @description ISO 8601 UTC time
             * @example 2026-04-27T00:00:00Z
             */
            flaggedUtc: string | null;
            /** @description Distinct networks (IPv4 /24, IPv6 /48) the link was downloaded from within the window (README: 30 days) */
            networks: number;
            /** @description Refused (403 `LINK_SUSPENDED_SHARING`) until an operator resets it: the product sets `suspendOnSharing` */
            suspended: boolean;
            /** @description Distinct user agents within the window */
            userAgents: number;
        };
        StartedUpload: {
            file: components["schemas"]["File"];
            upload: components["schemas"]["UploadInstructions"];
        };
        UploadInstructions: {
            expiresInSeconds: number;
            /** @description Send these headers with the PUT */
            headers: {
                [key: string]: string;
            };
            /** @enum {string} */
            method: "PUT";
            url: string;
        } | {
            expiresInSeconds: number;
            /** @enum {string} */
            method: "MULTIPART";
            parts: {
                partNumber: number;
                url: string;
            }[];
            /** @description Bytes per part; the last part holds the rest */
            partSize: number;
        };
        Validation: {
            activationsLeft: number | null;
            /** @description A compact JWS (EdDSA, `typ: license+jwt`) over `{ key, productId, instanceId, status, valid, iss, iat, exp }`; verify it offline with `/.well-known/license-keys.json` */
            certificate: string;
            certificateExpiresUtc: string;
            productId: string;
            /** @enum {string} */
            status: "active" | "suspended" | "revoked";
            /** @description Active, and (when `instanceId` is given) activated on that instance */
            valid: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    licenseKeySet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicenseKeySet"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBucketObjects: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                prefix?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of objects */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BucketObjectPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    findCustomers: {
        parameters: {
            query: {
                /** @description The email address the shopper bought with */
                email: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The matching customers, newest purchase first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerMatches"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCustomerDownloads: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer and one page of links, URLs and sharing signals included */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerDownloadsPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resetCustomerDownloads: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        /** @description An empty body resets the counts; `expiresInDays` sets a new expiry (0 = never). */
        requestBody?: {
            content: {
                "application/json": {
                    expiresInDays?: number;
                    resetCount?: boolean;
                };
            };
        };
        responses: {
            /** @description How many links changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerReset"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCustomerLicenses: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerLicenses"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    readDashboard: {
        parameters: {
            query?: {
                /** @description UTC days up to today, 1 to 90 */
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The window up to today */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dashboard"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listFiles: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description Part of the file's display name, in any case */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of files */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FilePage"];
                };
            };
            /** @description Invalid `limit`, `cursor` or `q` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contentType?: string;
                    fileName: string;
                    size: number;
                };
            };
        };
        responses: {
            /** @description The pending file and how to send its bytes */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartedUpload"];
                };
            };
            /** @description Invalid input, or `FILE_TOO_LARGE` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                fileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Invalid file id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FILE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    completeUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                fileId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    parts?: {
                        etag: string;
                        partNumber: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description The file, ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description `PARTS_REQUIRED`, `INVALID_PARTS` or `UPLOAD_INCOMPLETE` (S3 refused the parts) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FILE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UPLOAD_INCOMPLETE`: the bytes have not been sent yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importObject: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contentType?: string;
                    fileName?: string;
                    key: string;
                };
            };
        };
        responses: {
            /** @description The file, ready to attach */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description `INVALID_KEY`: `..`, a leading `/`, or inside the upload area */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `OBJECT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInvoiceDownloads: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                invoiceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invoice and one page of its links, URLs included */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceDownloadsPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVOICE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    regenerateInvoiceDownloads: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invoiceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new links */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Regenerated"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVOICE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVOICE_REFUNDED`, `ORDER_ON_HOLD` or `CONCURRENT_CHANGE` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    findLicense: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorLicense"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    readLicenseLog: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the log */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicenseLogPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resetLicenseActivations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorLicense"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeLicense: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorLicense"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    readLinkLog: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                linkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the log */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkLogPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LINK_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resetLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                linkId: string;
            };
            cookie?: never;
        };
        /** @description An empty body resets the count; `expiresInDays` sets a new expiry (0 = never). */
        requestBody?: {
            content: {
                "application/json": {
                    expiresInDays?: number;
                    resetCount?: boolean;
                };
            };
        };
        responses: {
            /** @description The link after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLink"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LINK_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                linkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked link */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLink"];
                };
            };
            /** @description Invalid link id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LINK_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description Part of the name or id, in any case */
                q?: string;
                /** @description Only the products on sale, or only the archived ones; both when absent */
                status?: "active" | "archived";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of products */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductPage"];
                };
            };
            /** @description Invalid `limit` or `cursor` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product */
            200: {
                headers: {
                    /** @description The product's version, quoted (`"3"`): send it back as `If-Match` */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Invalid product id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putProduct: {
        parameters: {
            query?: never;
            header?: {
                /** @description Change only this version (the `ETag` of a `GET`); `412 PRECONDITION_FAILED` after someone else's change */
                "If-Match"?: string;
                /** @description Create only: `412 PRECONDITION_FAILED` when the product exists */
                "If-None-Match"?: "*";
            };
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ProductSettings"];
            };
        };
        responses: {
            /** @description The product after the change (`Location` set when it was created) */
            200: {
                headers: {
                    /** @description The product's version, quoted (`"3"`): send it back as `If-Match` */
                    ETag: string;
                    /** @description Set when the product was created */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description `INVALID_INPUT` (see `details`), `INVALID_PRECONDITION`, `VARIANT_OPTIONS_NOT_ALLOWED`, `UNKNOWN_FILE` or `FILE_NOT_READY` (`details` name the `fileIds.N` entries) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `EXTERNAL_ID_TAKEN`: one of `externalIds` already names another product (nothing changed); `CONCURRENT_CHANGE`: without a precondition, the product kept changing while the change was applied */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRECONDITION_FAILED`: the product exists (`If-None-Match: *`) or is no longer the version of `If-Match`; nothing changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    archiveProduct: {
        parameters: {
            query?: never;
            header?: {
                /** @description Change only this version (the `ETag` of a `GET`); `412 PRECONDITION_FAILED` after someone else's change */
                "If-Match"?: string;
            };
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archived product */
            200: {
                headers: {
                    /** @description The product's version, quoted (`"3"`): send it back as `If-Match` */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Invalid product id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRECONDITION_FAILED` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listLicensePool: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description Keys not sold yet (in the order they are handed out), or sold ones (newest first) */
                status?: "available" | "assigned";
            };
            header?: never;
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the pool */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicensePool"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importLicenseKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The keys, each once (4–128 letters, digits and . _ ~ : + = -); at most 1,000 a request */
                    keys: string[];
                };
            };
        };
        responses: {
            /** @description What was imported, and the pool after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicenseImport"];
                };
            };
            /** @description `INVALID_INPUT` or `INVALID_LICENSE_KEY` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `DUPLICATE_LICENSE_KEYS` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unarchiveProduct: {
        parameters: {
            query?: never;
            header?: {
                /** @description Change only this version (the `ETag` of a `GET`); `412 PRECONDITION_FAILED` after someone else's change */
                "If-Match"?: string;
            };
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product, on sale */
            200: {
                headers: {
                    /** @description The product's version, quoted (`"3"`): send it back as `If-Match` */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Invalid product id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRECONDITION_FAILED` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProductUpdates: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of updates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductUpdatePage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startProductUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Tell each customer concerned once: one `ProductUpdated` event and one email */
                    notify?: boolean;
                    /**
                     * @description Old file id → the id of the completed file that replaces it
                     * @example {
                     *       "<old fileId>": "<new fileId>"
                     *     }
                     */
                    replace: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description The update, started */
            202: {
                headers: {
                    /** @description The update's progress */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductUpdate"];
                };
            };
            /** @description `INVALID_INPUT`, `SAME_FILE`, `UNKNOWN_FILE` or `FILE_NOT_READY` (a new file must be completed) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONCURRENT_CHANGE`: the product kept changing meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProductUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                productId: string;
                updateId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The update */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductUpdate"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UPDATE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewProductUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                productId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Old file id → the id of the completed file that replaces it
                     * @example {
                     *       "<old fileId>": "<new fileId>"
                     *     }
                     */
                    replace: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description What the update would reach */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductUpdatePreview"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ADMIN_SCOPE_REQUIRED`: the token lacks the `downloads/admin` scope */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PRODUCT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The link's signed token: the last path segment of its `downloadUrl`. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description With `Accept: application/json`: where to fetch the file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadGrant"];
                };
            };
            /** @description Redirect to the presigned URL (attachment with the file's display name and content type) */
            302: {
                headers: {
                    "Cache-Control": "no-store";
                    /** @description Presigned S3 GET URL */
                    Location: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_LINK_OWNER`, `REVOKED`, `ORDER_ON_HOLD` or `LINK_SUSPENDED_SHARING` (flagged for sharing; an operator reset restores it) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LINK_NOT_FOUND`: unknown, forged or malformed token */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LINK_EXPIRED` or `DOWNLOAD_LIMIT_REACHED` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMyDownloads: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of links */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLinkPage"];
                };
            };
            /** @description Invalid `limit` or `cursor` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMyInvoiceDownloads: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                invoiceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of links */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLinkPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVOICE_NOT_FOUND`: no such invoice, or not the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    activateLicense: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The seller's software instance (a machine or install id it keeps); the same instance activating again is the same activation */
                    instanceId: string;
                    /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                    key: string;
                };
            };
        };
        responses: {
            /** @description Activated (or already active on this instance) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Activation"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_REVOKED` or `LICENSE_SUSPENDED` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND`: the same answer for any key that is not sold, whatever its form */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ACTIVATION_LIMIT_REACHED` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMyLicenses: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicensePage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token, or not a valid one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deactivateLicense: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The seller's software instance (a machine or install id it keeps); the same instance activating again is the same activation */
                    instanceId: string;
                    /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                    key: string;
                };
            };
        };
        responses: {
            /** @description Seats left after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deactivation"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    validateLicense: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The seller's software instance (a machine or install id it keeps); the same instance activating again is the same activation */
                    instanceId?: string;
                    /** @description The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA` */
                    key: string;
                };
            };
        };
        responses: {
            /** @description The key's state and certificate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Validation"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `LICENSE_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    receiveWooCommerceWebhook: {
        parameters: {
            query?: never;
            header?: {
                "X-WC-Webhook-Delivery-ID"?: string;
                /** @description base64 HMAC-SHA256 of the raw body */
                "X-WC-Webhook-Signature"?: string;
                /** @description `order.created` or `order.updated` */
                "X-WC-Webhook-Topic"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Applied, ignored (a status that changes no delivery), parked, or the ping */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        invoiceIds?: string[];
                        reason?: string;
                        /** @enum {string} */
                        status: "applied" | "ignored" | "parked" | "ping";
                    };
                };
            };
            /** @description `INVALID_JSON` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVALID_SIGNATURE`: the signature does not match the body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BODY_TOO_LARGE` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: send JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_ERROR` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: a store is down; WooCommerce retries */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
