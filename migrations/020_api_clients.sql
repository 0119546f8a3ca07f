-- 020 API clients for partner systems (issue 11, decision 0030). A client is registered by the
-- council's administrator for one organisation; it acts through its own service account (an
-- app_user that cannot sign in: no password, no identity-provider subject), so every access
-- rule and every audit row treats it as that organisation's user, with the client named.
create table api_client (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  organisation_id uuid not null references organisation (id),
  service_user_id uuid not null unique references app_user (id),
  name text not null check (length(name) between 1 and 200),
  -- What the client presents at Trellis' token endpoint; public, like a user name.
  client_id text not null unique check (client_id ~ '^trellis_[a-z0-9]{24}$'),
  secret_hash text not null,
  -- The client's id at the council's authorisation server, when it takes tokens from there.
  external_client_id text unique check (length(external_client_id) between 1 and 200),
  permissions text[] not null,
  rate_limit_per_minute integer not null default 120 check (rate_limit_per_minute between 1 and 10000),
  created_by uuid not null references app_user (id),
  created_at timestamptz not null,
  secret_rotated_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid references app_user (id)
);
create index api_client_la on api_client (la_id, created_at);
comment on table api_client is 'A partner system allowed to call the JSON API (decision 0030).';
comment on column api_client.secret_hash is 'Secret: argon2id hash of the client secret; never logged or shown.';
comment on column api_client.name is 'Not personal data: the name of a system, such as "Police case system".';
