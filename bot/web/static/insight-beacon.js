/* Harbour insight beacon (bot/insight/, issue 17): tells /api/beacon that a parent used a
 * service card or left, so schools can see whether parents took the next step. Sends only
 * the event, the school, the service id and how (call/text/website), the topic and the
 * region: no session id, no text. Never throws, so a quick exit always happens. */
function harbourBeacon(api, fields) {
  try {
    if (!navigator.sendBeacon) { return false; }
    var body = {};
    ["event", "school", "service", "kind", "topic", "region"].forEach(function (name) {
      if (fields[name] !== undefined && fields[name] !== null) { body[name] = String(fields[name]); }
    });
    return navigator.sendBeacon(api, JSON.stringify(body));
  } catch (e) {
    return false;
  }
}
