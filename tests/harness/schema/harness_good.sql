-- The desired schema of harness_good: its head, written by `harness_good-migrate schema-dump`.
-- <set>.schema checks that the revisions still build it.
-- pgmig:schema-fingerprint sha256:22d8ec6ae8ef744b7ec76b30af521bc53e145be5d28bb136c389dbd8f36113a2 (PostgreSQL 15, lines 2)
CREATE EXTENSION citext WITH SCHEMA public VERSION '1.6';
CREATE TYPE public.mood AS ENUM ('happy', 'sad');
CREATE SEQUENCE public.order_numbers AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1 NO CYCLE;
SET LOCAL check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.normalize_email(e text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT lower(e) $function$;
CREATE OR REPLACE FUNCTION public.touch()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$ BEGIN RETURN NEW; END $function$;
CREATE TABLE public.audit (id bigint NOT NULL, remark text, user_id bigint);
CREATE TABLE public.notes (id integer NOT NULL);
CREATE TABLE public.settings (key text NOT NULL, value text);
CREATE TABLE public.users (email text DEFAULT 'nobody'::text, id bigint NOT NULL, mood public.mood, name character varying(100) NOT NULL, nickname text);
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.audit ADD CONSTRAINT audit_pkey PRIMARY KEY (id);
ALTER TABLE public.notes ADD CONSTRAINT drafts_pkey PRIMARY KEY (id);
ALTER TABLE public.settings ADD CONSTRAINT settings_pkey PRIMARY KEY (key);
ALTER TABLE public.users ADD CONSTRAINT users_email_check CHECK ((email ~~ '%@%'::text));
ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
CREATE INDEX users_email_idx ON public.users USING btree (email);
ALTER TABLE public.audit ADD CONSTRAINT audit_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
CREATE VIEW public.active_users AS
 SELECT users.id,
    users.email
   FROM public.users
  WHERE users.email IS NOT NULL;
CREATE VIEW public.recent_notes AS
 SELECT notes.id
   FROM public.notes;
CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE POLICY users_self ON public.users AS PERMISSIVE FOR ALL TO public USING (true);
COMMENT ON COLUMN public.users.email IS 'where to write';
COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';
COMMENT ON TABLE public.users IS 'people who sign in';
GRANT SELECT ON TABLE public.users TO PUBLIC;
