// Handler modules read their configuration at import; unit tests give them a harmless one.
process.env.TABLE_NAME ??= 'talkback-unit';
process.env.TALKBACK_SECRET ??= 'unit-secret-0123456789-0123456789-abcdef';
process.env.TALKBACK_LINK_SECRET ??= 'unit-link-secret-0123456789-0123456789-abcdef';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'unit';
process.env.AWS_SECRET_ACCESS_KEY ??= 'unit';
