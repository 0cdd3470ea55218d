"""Online payment of dossier fees: gateways (VNPay, the sandbox), attempts, callbacks, receipts.

Above the dossier domain: it reads dossiers and confirms payments through the gate
(`perform_action(None, dossier, "pay", …)`); the dossier domain never imports it.
"""
