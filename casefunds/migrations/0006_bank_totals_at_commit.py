"""The bank account's cached totals are applied at commit (ADR 011).

Every deposit of a court posts to the court's one bank account. Updating that row as soon as the
posting is written held its lock for the rest of the transaction and made deposits queue behind
each other. The bank account (an asset, with no overdraft CHECK) is now updated by a deferred
constraint trigger, so its row is locked only while the transaction commits — the same window
pgbench's branch row has. Owed accounts are still updated at once, where their CHECK matters.
Readers inside an open transaction run ``SET CONSTRAINTS ALL IMMEDIATE`` first (verify_ledger).
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION casefunds_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    transfer_phase text;
    moved_at timestamptz;
    debit bigint := GREATEST(NEW.amount, 0);
    credit bigint := GREATEST(-NEW.amount, 0);
    -- 'owed': every account but the bank; 'bank': the bank account; no argument: all.
    bank_at_commit boolean := CASE TG_ARGV[0] WHEN 'bank' THEN true WHEN 'owed' THEN false END;
BEGIN
    SELECT phase, created_at INTO transfer_phase, moved_at FROM casefunds_transfer
        WHERE id = NEW.transfer_id;
    IF transfer_phase = 'pending' THEN
        UPDATE casefunds_account
           SET debits_pending = debits_pending + debit,
               credits_pending = credits_pending + credit
         WHERE id = NEW.account_id
           AND (bank_at_commit IS NULL OR (kind = 'bank') = bank_at_commit);
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
         WHERE id = NEW.account_id
           AND (bank_at_commit IS NULL OR (kind = 'bank') = bank_at_commit);
    ELSE
        RAISE EXCEPTION 'casefunds: a % transfer carries no postings', transfer_phase
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER casefunds_posting_updates_account ON casefunds_posting;
CREATE TRIGGER casefunds_posting_updates_account AFTER INSERT ON casefunds_posting
    FOR EACH ROW EXECUTE FUNCTION casefunds_apply_posting('owed');

CREATE OR REPLACE FUNCTION casefunds_release_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bank_at_commit boolean := CASE TG_ARGV[0] WHEN 'bank' THEN true WHEN 'owed' THEN false END;
BEGIN
    IF (SELECT phase FROM casefunds_transfer WHERE id = NEW.pending_id) <> 'pending' THEN
        RAISE EXCEPTION 'casefunds: transfer % is not a reservation', NEW.pending_id
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE casefunds_account a
       SET debits_pending = a.debits_pending - GREATEST(p.amount, 0),
           credits_pending = a.credits_pending - GREATEST(-p.amount, 0)
      FROM casefunds_posting p
     WHERE p.transfer_id = NEW.pending_id AND p.account_id = a.id
       AND (bank_at_commit IS NULL OR (a.kind = 'bank') = bank_at_commit);
    RETURN NULL;
END $$;

DROP TRIGGER casefunds_resolution_releases ON casefunds_transfer;
CREATE TRIGGER casefunds_resolution_releases AFTER INSERT ON casefunds_transfer
    FOR EACH ROW WHEN (NEW.pending_id IS NOT NULL)
    EXECUTE FUNCTION casefunds_release_reservation('owed');
CREATE CONSTRAINT TRIGGER casefunds_resolution_releases_bank AFTER INSERT ON casefunds_transfer
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.pending_id IS NOT NULL)
    EXECUTE FUNCTION casefunds_release_reservation('bank');
CREATE CONSTRAINT TRIGGER casefunds_posting_updates_bank AFTER INSERT ON casefunds_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION casefunds_apply_posting('bank');
"""

BACKWARD = r"""
DROP TRIGGER casefunds_resolution_releases_bank ON casefunds_transfer;
DROP TRIGGER casefunds_resolution_releases ON casefunds_transfer;
CREATE TRIGGER casefunds_resolution_releases AFTER INSERT ON casefunds_transfer
    FOR EACH ROW WHEN (NEW.pending_id IS NOT NULL)
    EXECUTE FUNCTION casefunds_release_reservation();
DROP TRIGGER casefunds_posting_updates_bank ON casefunds_posting;
DROP TRIGGER casefunds_posting_updates_account ON casefunds_posting;
CREATE TRIGGER casefunds_posting_updates_account AFTER INSERT ON casefunds_posting
    FOR EACH ROW EXECUTE FUNCTION casefunds_apply_posting();
"""


class Migration(migrations.Migration):
    dependencies = [("casefunds", "0005_book_payment_in_one_call")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
