-- Sign-in throttling per account and per source address (decision 0019) replaces the
-- per-account lockout: a guesser could lock anyone out for 30 minutes, and only existing
-- accounts were counted, which told a guesser which email addresses have accounts.
create table sign_in_throttle (
  key text primary key,
  failures integer not null default 0 check (failures >= 0),
  last_failed_at timestamptz
);
create index sign_in_throttle_last_failed on sign_in_throttle (last_failed_at);
comment on table sign_in_throttle is 'Failed password sign-ins per typed email and per client address; rows are forgotten a day after their last failure.';
comment on column sign_in_throttle.key is 'Personal data (pseudonymised): "account:" or "source:" then the SHA-256 of the email address typed or of the client IP address.';

alter table app_user drop column failed_sign_ins;
alter table app_user drop column last_failed_sign_in_at;
alter table app_user drop column locked_until;
