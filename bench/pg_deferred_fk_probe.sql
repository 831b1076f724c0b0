-- Where the PostgreSQL COMMIT of a large casualty import goes (issue 19): the same 200,000 rows inserted in one
-- transaction with five foreign keys as Django makes them (DEFERRABLE INITIALLY DEFERRED), then checked at once
-- (SET CONSTRAINTS ALL IMMEDIATE), then with no foreign keys. Run: psql -d SCRATCH_DB -q -f bench/pg_deferred_fk_probe.sql
\timing on
drop table if exists child; drop table if exists parent_int; drop table if exists parent_txt;
create table parent_int(id int primary key); insert into parent_int select g from generate_series(1,1000) g;
create table parent_txt(iso3 varchar(3) primary key); insert into parent_txt select 'S' || lpad(g::text,2,'0') from generate_series(1,99) g;
-- as Django creates them on PostgreSQL: DEFERRABLE INITIALLY DEFERRED, checked at COMMIT
create table child(id bigserial primary key,
  organisation_id int references parent_int deferrable initially deferred,
  created_by_id int references parent_int deferrable initially deferred,
  state_id varchar(3) references parent_txt deferrable initially deferred,
  source_id int references parent_int deferrable initially deferred,
  import_job_id int references parent_int deferrable initially deferred,
  killed int);
begin;
insert into child(organisation_id, created_by_id, state_id, source_id, import_job_id, killed)
  select 1, 1, 'S01', 1 + g % 900, 7, g % 5 from generate_series(1,200000) g;
commit;
truncate child;
begin;
set constraints all immediate;
insert into child(organisation_id, created_by_id, state_id, source_id, import_job_id, killed)
  select 1, 1, 'S01', 1 + g % 900, 7, g % 5 from generate_series(1,200000) g;
commit;
truncate child;
alter table child drop constraint child_organisation_id_fkey, drop constraint child_created_by_id_fkey, drop constraint child_state_id_fkey, drop constraint child_source_id_fkey, drop constraint child_import_job_id_fkey;
begin;
insert into child(organisation_id, created_by_id, state_id, source_id, import_job_id, killed)
  select 1, 1, 'S01', 1 + g % 900, 7, g % 5 from generate_series(1,200000) g;
commit;
