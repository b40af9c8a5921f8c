#include "config_server.h"

#include <stdio.h>
#include <string.h>

#include <tankcore/decode_fields.h>
#include <tankcore/json_writer.h>
#include <tankcore/text.h>

#include "node_config.h"
#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "config_server";
constexpr size_t kMaxWifiBody = 256;

HttpServer g_server(kHttpPort);

const char kPortalPage[] PROGMEM = R"HTML(<!doctype html>
<html><head><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Tank node setup</title></head><body>
<h1>Tank node Wi-Fi</h1>
<form id="f"><p><label>Network <input name="ssid" list="nets" required maxlength="32"></label>
<datalist id="nets"></datalist></p>
<p><label>Password <input name="password" type="password" maxlength="64"></label></p>
<p><button>Save and restart</button></p></form><p id="msg"></p>
<script>
fetch('/wifi/scan').then(r=>r.json()).then(l=>{if(Array.isArray(l))for(const n of l){
const o=document.createElement('option');o.value=n.ssid;nets.appendChild(o)}}).catch(()=>{});
f.onsubmit=e=>{e.preventDefault();const d=Object.fromEntries(new FormData(f));
fetch('/wifi',{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(d)})
.then(r=>{msg.textContent=r.ok?'Saved, restarting…':'Refused ('+r.status+')'})};
</script></body></html>)HTML";

}  // namespace

void ConfigServer::begin(const ServerHooks& hooks) {
  hooks_ = hooks;
  g_server.on("/info", HTTP_GET, [this] { handle_info(); });
  g_server.on("/pair", HTTP_POST, [this] { handle_pair(); });
  g_server.on("/reset-pairing", HTTP_POST, [this] { handle_reset(); });
  g_server.on("/", HTTP_GET, [this] { handle_portal_page(); });
  g_server.on("/wifi/scan", HTTP_GET, [this] { handle_scan(); });
  g_server.on("/wifi", HTTP_POST, [this] { handle_wifi(); });
  g_server.onNotFound([this] { handle_not_found(); });
  g_server.begin();
}

void ConfigServer::loop() { g_server.handleClient(); }

void ConfigServer::send_json(int status, const char* body) {
  g_server.send(status, "application/json", body);
}

void ConfigServer::send_error(int status, const char* code, const char* detail) {
  char body[160];
  tankcore::JsonWriter w(body, sizeof(body));
  w.begin_object();
  w.key("error");
  w.string(code);
  w.key("detail");
  w.string(detail);
  w.end_object();
  send_json(status, w.ok() ? body : "{\"error\":\"internal\"}");
}

void ConfigServer::handle_info() {
  const Settings& s = *hooks_.settings;
  const tankcore::NodeInfo info{hooks_.network->mac(),
                                kModel,
                                kFirmwareVersion,
                                s.paired,
                                s.paired ? s.device_id : nullptr,
                                s.paired ? s.hub_url : nullptr,
                                hooks_.hub_state(),
                                hooks_.reset_window(),
                                static_cast<uint32_t>(millis() / 1000),
                                hooks_.buffer->size()};
  char body[512];
  const size_t n = tankcore::encode_info(info, body, sizeof(body));
  if (n == 0) {
    send_error(500, "internal", "info does not fit");
    return;
  }
  send_json(200, body);
}

void ConfigServer::handle_pair() {
  Settings& s = *hooks_.settings;
  const String body = g_server.arg("plain");
  static tankcore::PairRequest request;
  const tankcore::DecodeError error =
      tankcore::decode_pair_request(body.c_str(), body.length(), &request);
  const int status = tankcore::pair_status(s.paired, hooks_.reset_window(), error);
  if (status == 409) {
    send_json(409, "{\"error\":\"already_paired\"}");
    return;
  }
  if (status == 400) {
    send_error(400, tankcore::decode_error_name(error), "invalid pairing request");
    return;
  }
  tankcore::copy_text(s.hub_url, sizeof(s.hub_url), request.hub_url);
  tankcore::copy_text(s.device_id, sizeof(s.device_id), request.device_id);
  tankcore::copy_text(s.secret, sizeof(s.secret), request.secret);
  s.paired = true;
  s.has_config = false;
  if (!hooks_.storage->save(s)) {
    send_error(500, "storage", "could not store the pairing");
    return;
  }
  TANK_LOGI(TAG, "paired as %s with %s", s.device_id, s.hub_url);
  char reply[128];
  tankcore::JsonWriter w(reply, sizeof(reply));
  w.begin_object();
  w.key("paired");
  w.boolean(true);
  w.key("device_id");
  w.string(s.device_id);
  w.end_object();
  send_json(200, reply);
  hooks_.on_pairing_changed();
}

void ConfigServer::handle_reset() {
  if (tankcore::reset_pairing_status(hooks_.reset_window()) != 200) {
    send_json(403, "{\"error\":\"physical_reset_required\"}");
    return;
  }
  Settings& s = *hooks_.settings;
  s.paired = false;
  s.hub_url[0] = s.device_id[0] = s.secret[0] = '\0';
  s.has_config = false;
  hooks_.storage->save(s);
  hooks_.storage->erase_buffer();
  TANK_LOGW(TAG, "pairing reset by request inside the reset window");
  send_json(200, "{\"paired\":false}");
  hooks_.on_pairing_changed();
}

void ConfigServer::handle_portal_page() {
  g_server.send_P(200, "text/html", kPortalPage);
}

void ConfigServer::handle_scan() {
  const int count = WiFi.scanComplete();
  if (count < 0) {
    if (count == WIFI_SCAN_FAILED) WiFi.scanNetworks(true);
    send_json(202, "{\"scanning\":true}");
    return;
  }
  static char body[1536];
  tankcore::JsonWriter w(body, sizeof(body));
  w.begin_array();
  for (int i = 0; i < count; ++i) {
    w.begin_object();
    w.key("ssid");
    w.string(WiFi.SSID(i).c_str());
    w.key("rssi");
    w.integer(WiFi.RSSI(i));
    w.key("secure");
#if defined(ESP32)
    w.boolean(WiFi.encryptionType(i) != WIFI_AUTH_OPEN);
#else
    w.boolean(WiFi.encryptionType(i) != ENC_TYPE_NONE);
#endif
    w.end_object();
  }
  w.end_array();
  WiFi.scanDelete();
  send_json(200, w.ok() ? body : "[]");
}

void ConfigServer::handle_wifi() {
  const String body = g_server.arg("plain");
  tankcore::JsonValue object;
  Settings& s = *hooks_.settings;
  tankcore::DecodeError error =
      tankcore::parse_object(body.c_str(), body.length(), kMaxWifiBody, &object);
  char ssid[sizeof(s.wifi_ssid)] = {};
  char password[sizeof(s.wifi_password)] = {};
  if (error == tankcore::DecodeError::kNone) {
    error = tankcore::field_text(object, "ssid", sizeof(ssid) - 1, nullptr, ssid);
  }
  tankcore::JsonValue pass;
  if (error == tankcore::DecodeError::kNone && tankcore::json_find(object, "password", &pass) &&
      !tankcore::json_get_string(pass, password, sizeof(password), nullptr)) {
    error = tankcore::DecodeError::kBadFieldValue;
  }
  if (error != tankcore::DecodeError::kNone) {
    send_error(400, tankcore::decode_error_name(error), "expected {\"ssid\":…,\"password\":…}");
    return;
  }
  tankcore::copy_text(s.wifi_ssid, sizeof(s.wifi_ssid), ssid);
  tankcore::copy_text(s.wifi_password, sizeof(s.wifi_password), password);
  hooks_.storage->save(s);
  send_json(200, "{\"saved\":true}");
  TANK_LOGI(TAG, "Wi-Fi credentials saved for '%s', restarting", s.wifi_ssid);
  delay(200);  // let the response leave before the restart
  ESP.restart();
}

void ConfigServer::handle_not_found() {
  if (hooks_.network->portal_active()) {
    g_server.sendHeader("Location", "http://192.168.4.1/", true);
    g_server.send(302, "text/plain", "");
    return;
  }
  send_error(404, "not_found", "no such endpoint");
}

void ConfigServer::dump_config() const {
  TANK_LOGCONFIG(TAG, "Config server:");
  TANK_LOGCONFIG(TAG, "  port %u: GET /info, POST /pair, POST /reset-pairing, portal /", kHttpPort);
}

}  // namespace tanknode
