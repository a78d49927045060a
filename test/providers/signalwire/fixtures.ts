/** Credentials and ids of the default SignalWire fixtures (fixtures/signalwire.json). */
export const PROJECT = '72a7ce5a-0281-4be1-a238-49fc41fafb42';
export const TOKEN = 'PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5';
export const NO_VIDEO_TOKEN = 'PTb8c1e0f6a3d94e27c5b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6';
export const OTHER_PROJECT = '9d4f2b6e-31c8-4a57-8e0d-5b7c1a2f3e49';
export const OTHER_TOKEN = 'PT9d4f2b6e31c84a578e0d5b7c1a2f3e4912ab34cd56ef7890';

export const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
export const AUTH = basic(PROJECT, TOKEN);
export const OTHER_AUTH = basic(OTHER_PROJECT, OTHER_TOKEN);

export const WEEKLY_SYNC = 'c22d7124-5a01-49fe-8da0-46bec8e75f12';
export const ALL_HANDS = '5b1e9f7a-4c3d-4e2b-9a8f-7d6c5b4a3e21';
export const DESIGN_REVIEW = '8e7d6c5b-4a39-4f2e-8d1c-0b9a8f7e6d5c';
export const PARTNER_DEMO = '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a';

export const WEEKLY_MODERATOR = { id: '0b9e4f3a-6d2c-4f8e-9a51-3c7d2e1f8a40', token: 'vpt_62c65414de4d067d07415a7ced8183be' };
export const WEEKLY_GUEST = { id: '7d1a9c5e-2b8f-4e3a-8c6d-9f0e1a2b3c4d', token: 'vpt_0f3a9b27c5e84d1698a2b7c4e6f10d53' };
export const PARTNER_GUEST = '7b9d1f3a-5c6e-4d8f-9a0b-2c4d6e8f0a2b';

export const PAST_SESSION = 'b3877c40-da60-4998-90ad-b792e98472af';
export const LIVE_SESSION = 'e4f1c2d3-8a7b-4c6d-9e5f-1a2b3c4d5e6f';
export const ALICE = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const BOB = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
export const PAST_RECORDING = '6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170';
export const STREAM = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';

/** `app.inject` sends `Host: localhost:80`: links and preview URLs are built from it. */
export const ORIGIN = 'http://localhost:80';
export const JSON_UTF8 = 'application/json; charset=utf-8';

export const UNAUTHORIZED = { error: 'Unauthorized' };
export const NOT_FOUND = { error: 'Not Found' };
export const BAD_REQUEST = { error: 'Bad Request' };

export const entry = (attribute: string, message: string, code = 'invalid_parameter') => ({
  type: 'validation_error',
  code,
  message,
  attribute,
  url: `https://developer.signalwire.com/rest/overview/error-codes/#${code}`,
});
export const unprocessable = (...entries: ReturnType<typeof entry>[]) => ({ errors: entries });

export const GUEST_SCOPES = [
  'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute', 'room.self.video_unmute',
  'room.self.deaf', 'room.self.undeaf', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.set_input_sensitivity', 'room.self.screenshare', 'room.self.additional_source',
];
