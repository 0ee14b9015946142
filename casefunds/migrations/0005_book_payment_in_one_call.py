"""Money arriving is booked by one database call (ADR 011).

``casefunds_book_payment`` claims the channel reference (``ON CONFLICT DO NOTHING`` on the unique
constraint, so a concurrent duplicate waits for the first and then finds it), writes the
deposit, its history row, the transfer and the two postings (in account-id order: the fixed lock
order), and answers ``(deposit id, created, account id, transfer id)``. The ledger triggers of migration 0002
check and total the postings exactly as for any other transfer. The suspense and bank accounts
of the court are created on first use.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION casefunds_court_account(p_court bigint, p_kind text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE found bigint;
BEGIN
    -- Read first: INSERT ... ON CONFLICT would wait on a row another deposit is updating.
    SELECT id INTO found FROM casefunds_account WHERE court_id = p_court AND kind = p_kind;
    IF found IS NULL THEN
        INSERT INTO casefunds_account (court_id, kind, debits_posted, credits_posted,
                                       debits_pending, credits_pending, opened_at)
        VALUES (p_court, p_kind, 0, 0, 0, 0, now())
        ON CONFLICT DO NOTHING;
        SELECT id INTO found FROM casefunds_account WHERE court_id = p_court AND kind = p_kind;
    END IF;
    RETURN found;
END $$;

CREATE FUNCTION casefunds_book_payment(
    p_court bigint, p_channel bigint, p_reference text, p_digest text, p_virtual text,
    p_amount bigint, p_payer_name text, p_payer_account text, p_paid_at timestamptz,
    p_at timestamptz, p_account bigint, p_case bigint, p_suspense_reason text,
    p_received_by bigint, p_witnessed_by bigint, p_memo text, p_history_user bigint,
    p_request_id text
) RETURNS TABLE (booked_deposit bigint, created boolean, booked_account bigint,
                booked_transfer bigint)
LANGUAGE plpgsql AS $$
DECLARE
    transfer bigint := nextval(pg_get_serial_sequence('casefunds_transfer', 'id'));
    target bigint := COALESCE(p_account, casefunds_court_account(p_court, 'suspense'));
    bank bigint := casefunds_court_account(p_court, 'bank');
    booked bigint;
BEGIN
    INSERT INTO casefunds_deposit AS d (
        court_id, channel_id, reference, body_digest, virtual_account, amount, payer_name,
        payer_account, paid_at, received_at, status, suspense_reason, account_id, case_id,
        transfer_id, assignment_reason, received_by_id, witnessed_by_id)
    VALUES (
        p_court, p_channel, p_reference, p_digest, p_virtual, p_amount, p_payer_name,
        p_payer_account, p_paid_at, p_at,
        CASE WHEN p_account IS NULL THEN 'suspense' ELSE 'credited' END,
        p_suspense_reason, target, p_case, transfer, '', p_received_by, p_witnessed_by)
    ON CONFLICT (channel_id, reference) DO NOTHING
    RETURNING d.id INTO booked;
    IF booked IS NULL THEN  -- this reference is on record: answer the first booking
        RETURN QUERY SELECT d.id, false, d.account_id, d.transfer_id FROM casefunds_deposit d
            WHERE d.channel_id = p_channel AND d.reference = p_reference;
        RETURN;
    END IF;
    INSERT INTO casefunds_historicaldeposit (
        id, court_id, channel_id, reference, body_digest, virtual_account, amount, payer_name,
        payer_account, paid_at, received_at, status, suspense_reason, account_id, case_id,
        transfer_id, assignment_reason, received_by_id, witnessed_by_id, history_date,
        history_type, history_user_id, history_request_id)
    SELECT id, court_id, channel_id, reference, body_digest, virtual_account, amount, payer_name,
        payer_account, paid_at, received_at, status, suspense_reason, account_id, case_id,
        transfer_id, assignment_reason, received_by_id, witnessed_by_id, now(), '+',
        p_history_user, p_request_id
    FROM casefunds_deposit WHERE id = booked;
    INSERT INTO casefunds_transfer (id, court_id, code, phase, memo, created_at, created_by_id)
    VALUES (transfer, p_court, 'deposit', 'posted', p_memo, p_at, p_received_by);
    INSERT INTO casefunds_posting (transfer_id, account_id, amount)
    SELECT transfer, leg.account, leg.amount
      FROM (VALUES (bank, p_amount), (target, -p_amount)) AS leg(account, amount)
     ORDER BY leg.account;
    RETURN QUERY SELECT booked, true, target, transfer;
END $$;
"""

BACKWARD = """
DROP FUNCTION casefunds_book_payment(bigint, bigint, text, text, text, bigint, text, text,
    timestamptz, timestamptz, bigint, bigint, text, bigint, bigint, text, bigint, text);
DROP FUNCTION casefunds_court_account(bigint, text);
"""


class Migration(migrations.Migration):
    dependencies = [("casefunds", "0004_sub_accounts_for_existing_respondents")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
