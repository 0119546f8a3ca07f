-- Each form a signed-in user sends is saved once (decision 0018). The page's CSRF token carries
-- a nonce drawn for that rendering of the page; the route kernel claims (user, request, nonce)
-- in the request's own transaction, so a double click, a retry or a resubmit of the same page
-- waits for the first to commit and then gets its result instead of saving again.
create table form_submission (
  user_id uuid not null references app_user (id),
  request text not null,
  nonce text not null,
  submitted_at timestamptz not null,
  result jsonb,
  primary key (user_id, nonce, request)
);
comment on column form_submission.user_id is 'Personal data: the user who sent the form.';
comment on column form_submission.request is
  'Personal data: the method and URL sent to, which can name a person or family by id.';
comment on column form_submission.result is
  'Personal data: what the first submission answered (a redirect URL that can name a record).';
