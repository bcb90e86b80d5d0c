-- Users, organisations, hosted services and their memberships.

CREATE TABLE users (
	pk                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid              TEXT        NOT NULL UNIQUE,
	username          TEXT        NOT NULL,
	email             TEXT        NOT NULL,
	first_name        TEXT        NOT NULL DEFAULT '',
	last_name         TEXT        NOT NULL DEFAULT '',
	password_hash     TEXT        NOT NULL DEFAULT '',
	is_platform_admin BOOLEAN     NOT NULL DEFAULT FALSE,
	is_active         BOOLEAN     NOT NULL DEFAULT TRUE,
	created_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE orgas (
	pk     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name   TEXT NOT NULL,
	codops TEXT NOT NULL DEFAULT ''
);

CREATE TABLE orga_members (
	orga_pk  BIGINT  NOT NULL REFERENCES orgas (pk) ON DELETE CASCADE,
	user_pk  BIGINT  NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	is_owner BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (orga_pk, user_pk)
);
CREATE INDEX orga_members_user_pk ON orga_members (user_pk);

-- options is json, not jsonb, so that it reads back byte for byte.
CREATE TABLE services (
	key     TEXT PRIMARY KEY,
	name    TEXT NOT NULL,
	url     TEXT NOT NULL,
	api_key TEXT NOT NULL DEFAULT '',
	options JSON NOT NULL DEFAULT '{}'
);

CREATE TABLE service_members (
	service_key TEXT    NOT NULL REFERENCES services (key) ON DELETE CASCADE,
	user_pk     BIGINT  NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	is_admin    BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (service_key, user_pk)
);
CREATE INDEX service_members_user_pk ON service_members (user_pk);

CREATE TABLE service_orgas (
	service_key TEXT   NOT NULL REFERENCES services (key) ON DELETE CASCADE,
	orga_pk     BIGINT NOT NULL REFERENCES orgas (pk) ON DELETE CASCADE,
	PRIMARY KEY (service_key, orga_pk)
);
CREATE INDEX service_orgas_orga_pk ON service_orgas (orga_pk);

CREATE TABLE subscriptions (
	service_key TEXT   NOT NULL REFERENCES services (key) ON DELETE CASCADE,
	user_pk     BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	label       TEXT   NOT NULL,
	until       TIMESTAMPTZ,
	PRIMARY KEY (service_key, user_pk, label)
);
CREATE INDEX subscriptions_user_pk ON subscriptions (user_pk);

-- Only the SHA-256 of each token is kept.
CREATE TABLE password_reset_tokens (
	token_hash BYTEA       PRIMARY KEY,
	user_pk    BIGINT      NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX password_reset_tokens_user_pk ON password_reset_tokens (user_pk);
CREATE INDEX password_reset_tokens_expires_at ON password_reset_tokens (expires_at);
