-- locognito schema, version 1.
--
-- Key columns use COLLATE "C" so that ORDER BY matches Go's byte-wise string
-- order. Nested or variable parts of a record are jsonb; a JSON null in a
-- list or map column means a nil slice or map in Go. Durations are bigint
-- nanoseconds. Every pool-scoped table references pools ON DELETE CASCADE,
-- so deleting a pool deletes everything in it.

CREATE TABLE pools (
    id                  text COLLATE "C" PRIMARY KEY,
    name                text        NOT NULL,
    region              text        NOT NULL,
    created_at          timestamptz,
    last_modified_at    timestamptz,
    password_policy     jsonb       NOT NULL,
    username_attrs      jsonb       NOT NULL,
    alias_attrs         jsonb       NOT NULL,
    auto_verified       jsonb       NOT NULL,
    case_sensitive      boolean     NOT NULL,
    schema_attrs        jsonb       NOT NULL,
    admin_create_only   boolean     NOT NULL,
    unused_account_days bigint      NOT NULL,
    mfa_configuration   text        NOT NULL,
    deletion_protection text        NOT NULL,
    domain              text        NOT NULL,
    extra               jsonb       NOT NULL
);

CREATE TABLE clients (
    client_id                            text COLLATE "C" PRIMARY KEY,
    pool_id                              text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name                                 text        NOT NULL,
    secret                               text        NOT NULL,
    created_at                           timestamptz,
    last_modified_at                     timestamptz,
    explicit_auth_flows                  jsonb       NOT NULL,
    access_token_validity                bigint      NOT NULL,
    id_token_validity                    bigint      NOT NULL,
    refresh_token_validity               bigint      NOT NULL,
    auth_session_validity                bigint      NOT NULL,
    units_access                         text        NOT NULL,
    units_id                             text        NOT NULL,
    units_refresh                        text        NOT NULL,
    read_attributes                      jsonb       NOT NULL,
    write_attributes                     jsonb       NOT NULL,
    prevent_user_existence_errors        text        NOT NULL,
    enable_token_revocation              boolean     NOT NULL,
    refresh_token_rotation               boolean     NOT NULL,
    rotation_grace_period                bigint      NOT NULL,
    allowed_oauth_flows                  jsonb       NOT NULL,
    allowed_oauth_scopes                 jsonb       NOT NULL,
    allowed_oauth_flows_user_pool_client boolean     NOT NULL,
    callback_urls                        jsonb       NOT NULL,
    logout_urls                          jsonb       NOT NULL,
    default_redirect_uri                 text        NOT NULL,
    supported_identity_providers         jsonb       NOT NULL,
    require_pkce                         boolean     NOT NULL
);
CREATE INDEX clients_pool_idx ON clients (pool_id, client_id);

-- An empty sub is stored as NULL, so it takes no part in the unique key.
CREATE TABLE users (
    pool_id                  text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username_key             text COLLATE "C" NOT NULL,
    username                 text        NOT NULL,
    sub                      text COLLATE "C",
    attributes               jsonb       NOT NULL,
    status                   text        NOT NULL,
    enabled                  boolean     NOT NULL,
    created_at               timestamptz,
    last_modified_at         timestamptz,
    password_hash            bytea,
    srp_salt                 text        NOT NULL,
    srp_verifier             text        NOT NULL,
    temp_password_expires_at timestamptz,
    codes                    jsonb       NOT NULL,
    failed_attempts          bigint      NOT NULL,
    last_failure_at          timestamptz,
    quota                    jsonb       NOT NULL,
    signed_out_at            timestamptz,
    PRIMARY KEY (pool_id, username_key),
    UNIQUE (pool_id, sub)
);
-- Exact attribute lookups use containment (attributes @> {"name": "value"}).
CREATE INDEX users_attributes_idx ON users USING gin (attributes jsonb_path_ops);
-- Case-insensitive lookups of the sign-in aliases.
CREATE INDEX users_email_fold_idx ON users (pool_id, lower(attributes ->> 'email'));
CREATE INDEX users_phone_number_fold_idx ON users (pool_id, lower(attributes ->> 'phone_number'));
CREATE INDEX users_preferred_username_fold_idx ON users (pool_id, lower(attributes ->> 'preferred_username'));

CREATE TABLE groups (
    pool_id          text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name             text COLLATE "C" NOT NULL,
    description      text        NOT NULL,
    role_arn         text        NOT NULL,
    precedence       bigint,
    created_at       timestamptz,
    last_modified_at timestamptz,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id      text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    group_name   text COLLATE "C" NOT NULL,
    username_key text COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX group_members_user_idx ON group_members (pool_id, username_key);

CREATE TABLE resource_servers (
    pool_id    text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier text COLLATE "C" NOT NULL,
    name       text  NOT NULL,
    scopes     jsonb NOT NULL,
    PRIMARY KEY (pool_id, identifier)
);

CREATE TABLE refresh_tokens (
    hash         text COLLATE "C" PRIMARY KEY,
    pool_id      text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id    text        NOT NULL,
    username_key text        NOT NULL,
    origin_jti   text        NOT NULL,
    auth_time    timestamptz,
    scopes       jsonb       NOT NULL,
    issued_at    timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    rotated_at   timestamptz
);
CREATE INDEX refresh_tokens_origin_idx ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

CREATE TABLE revocations (
    pool_id    text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    origin_jti text COLLATE "C" NOT NULL,
    revoked_at timestamptz,
    expires_at timestamptz,
    PRIMARY KEY (pool_id, origin_jti)
);

-- pool_id is NULL for a grant that belongs to no pool.
CREATE TABLE grants (
    kind       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    pool_id    text COLLATE "C" REFERENCES pools (id) ON DELETE CASCADE,
    client_id  text        NOT NULL,
    data       bytea,
    created_at timestamptz,
    expires_at timestamptz,
    consumed   boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (kind, id)
);
CREATE INDEX grants_pool_idx ON grants (pool_id);
CREATE INDEX grants_expires_idx ON grants (expires_at);

CREATE TABLE sessions (
    id           text COLLATE "C" PRIMARY KEY,
    pool_id      text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username_key text        NOT NULL,
    auth_time    timestamptz,
    created_at   timestamptz,
    expires_at   timestamptz
);
CREATE INDEX sessions_pool_idx ON sessions (pool_id);

CREATE TABLE key_sets (
    pool_id text COLLATE "C" PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    keys    jsonb  NOT NULL,
    version bigint NOT NULL
);

CREATE TABLE messages (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_id     text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username    text COLLATE "C" NOT NULL,
    kind        text        NOT NULL,
    destination text        NOT NULL,
    medium      text        NOT NULL,
    attribute   text        NOT NULL,
    code        text        NOT NULL,
    created_at  timestamptz
);
-- Listed oldest first: created_at (NULL first, like Go's zero time), then seq.
CREATE INDEX messages_pool_user_idx ON messages (pool_id, username, created_at NULLS FIRST, seq);
CREATE INDEX messages_pool_idx ON messages (pool_id, created_at NULLS FIRST, seq);
