"""The ledger's invariants, enforced by PostgreSQL whatever writes to it (ADR 009).

- Transfers and postings are append-only: UPDATE and DELETE are refused.
- Every transfer's postings sum to zero: a deferred constraint trigger checks at commit (the
  service also checks at once with ``SET CONSTRAINTS ... IMMEDIATE``).
- Each posting updates its account's cached totals in the same transaction; the account CHECK
  ``owed_account_not_overdrawn`` then refuses an overdraft, counting reservations.
- A post or void transfer releases the reservation it names.
- A case sub-account's idle-money clock (``funded_since``) starts when money lands on an empty
  account and stops when it is empty again; ``next_alert_at`` is when the first tier falls due.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION casefunds_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'casefunds: % is append-only (correct with a reversing transfer)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER casefunds_posting_append_only BEFORE UPDATE OR DELETE ON casefunds_posting
    FOR EACH ROW EXECUTE FUNCTION casefunds_refuse_change();
CREATE TRIGGER casefunds_transfer_append_only BEFORE UPDATE OR DELETE ON casefunds_transfer
    FOR EACH ROW EXECUTE FUNCTION casefunds_refuse_change();

CREATE FUNCTION casefunds_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total bigint;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total FROM casefunds_posting
        WHERE transfer_id = NEW.transfer_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'casefunds: transfer % does not balance (postings sum to %)',
            NEW.transfer_id, total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER casefunds_transfer_balanced AFTER INSERT ON casefunds_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION casefunds_check_balanced();

CREATE FUNCTION casefunds_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    transfer_phase text;
    moved_at timestamptz;
    debit bigint := GREATEST(NEW.amount, 0);
    credit bigint := GREATEST(-NEW.amount, 0);
BEGIN
    SELECT phase, created_at INTO transfer_phase, moved_at FROM casefunds_transfer
        WHERE id = NEW.transfer_id;
    IF transfer_phase = 'pending' THEN
        UPDATE casefunds_account
           SET debits_pending = debits_pending + debit,
               credits_pending = credits_pending + credit
         WHERE id = NEW.account_id;
    ELSIF transfer_phase IN ('posted', 'post_pending') THEN
        UPDATE casefunds_account
           SET debits_posted = debits_posted + debit,
               credits_posted = credits_posted + credit,
               funded_since = CASE
                   WHEN kind <> 'case' THEN NULL
                   WHEN credits_posted + credit - debits_posted - debit > 0
                       THEN COALESCE(funded_since, moved_at)
                   ELSE NULL END,
               next_alert_at = CASE
                   WHEN kind <> 'case' THEN NULL
                   WHEN credits_posted + credit - debits_posted - debit <= 0 THEN NULL
                   WHEN funded_since IS NULL THEN moved_at
                       + make_interval(days => (SELECT MIN(days) FROM casefunds_idletier))
                   ELSE next_alert_at END
         WHERE id = NEW.account_id;
    ELSE
        RAISE EXCEPTION 'casefunds: a % transfer carries no postings', transfer_phase
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER casefunds_posting_updates_account AFTER INSERT ON casefunds_posting
    FOR EACH ROW EXECUTE FUNCTION casefunds_apply_posting();

CREATE FUNCTION casefunds_release_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT phase FROM casefunds_transfer WHERE id = NEW.pending_id) <> 'pending' THEN
        RAISE EXCEPTION 'casefunds: transfer % is not a reservation', NEW.pending_id
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE casefunds_account a
       SET debits_pending = a.debits_pending - GREATEST(p.amount, 0),
           credits_pending = a.credits_pending - GREATEST(-p.amount, 0)
      FROM casefunds_posting p
     WHERE p.transfer_id = NEW.pending_id AND p.account_id = a.id;
    RETURN NULL;
END $$;

CREATE TRIGGER casefunds_resolution_releases AFTER INSERT ON casefunds_transfer
    FOR EACH ROW WHEN (NEW.pending_id IS NOT NULL)
    EXECUTE FUNCTION casefunds_release_reservation();
"""

BACKWARD = r"""
DROP TRIGGER casefunds_resolution_releases ON casefunds_transfer;
DROP FUNCTION casefunds_release_reservation();
DROP TRIGGER casefunds_posting_updates_account ON casefunds_posting;
DROP FUNCTION casefunds_apply_posting();
DROP TRIGGER casefunds_transfer_balanced ON casefunds_posting;
DROP FUNCTION casefunds_check_balanced();
DROP TRIGGER casefunds_transfer_append_only ON casefunds_transfer;
DROP TRIGGER casefunds_posting_append_only ON casefunds_posting;
DROP FUNCTION casefunds_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("casefunds", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
