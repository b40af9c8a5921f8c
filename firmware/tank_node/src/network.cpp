#include "network.h"

#include <stdio.h>
#include <string.h>

#include "node_config.h"
#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "network";
constexpr const char* kService = "smart-tank-node";
constexpr uint32_t kConnectTimeoutMs = 30000;
constexpr uint8_t kDnsPort = 53;

DNSServer g_dns;

}  // namespace

void Network::begin(const Settings& settings) {
  uint8_t raw[6];
  WiFi.macAddress(raw);
  snprintf(mac_, sizeof(mac_), "%02x:%02x:%02x:%02x:%02x:%02x", raw[0], raw[1], raw[2], raw[3],
           raw[4], raw[5]);
  snprintf(hostname_, sizeof(hostname_), "tank-%02x%02x%02x", raw[3], raw[4], raw[5]);
  WiFi.persistent(false);
  WiFi.mode(WIFI_STA);
  WiFi.setHostname(hostname_);
  if (settings.wifi_ssid[0] == '\0') {
    start_portal();
    return;
  }
  WiFi.begin(settings.wifi_ssid, settings.wifi_password);
  connect_started_ms_ = millis();
  TANK_LOGI(TAG, "connecting to '%s'", settings.wifi_ssid);
}

void Network::start_portal() {
  WiFi.mode(WIFI_AP_STA);
  WiFi.softAP(hostname_);
  g_dns.start(kDnsPort, "*", WiFi.softAPIP());
  portal_ = true;
  TANK_LOGW(TAG, "setup portal open: join '%s' and browse to %s", hostname_,
            WiFi.softAPIP().toString().c_str());
}

void Network::loop(const Settings& settings) {
  if (portal_) g_dns.processNextRequest();
  const bool up = WiFi.status() == WL_CONNECTED;
  if (up && !connected_) {
    TANK_LOGI(TAG, "connected, ip %s", WiFi.localIP().toString().c_str());
    advertise(settings);
  } else if (!up && connected_) {
    TANK_LOGW(TAG, "Wi-Fi lost, reconnecting");
  }
  connected_ = up;
  if (!up && !portal_ && millis() - connect_started_ms_ > kConnectTimeoutMs) start_portal();
#if defined(ESP8266)
  if (mdns_running_) MDNS.update();
#endif
}

void Network::advertise(const Settings& settings) {
  if (mdns_running_) MDNS.end();
  mdns_running_ = MDNS.begin(hostname_);
  if (!mdns_running_) {
    TANK_LOGE(TAG, "mDNS start failed");
    return;
  }
  MDNS.addService(kService, "tcp", kHttpPort);
  MDNS.addServiceTxt(kService, "tcp", "mac", mac_);
  MDNS.addServiceTxt(kService, "tcp", "model", kModel);
  MDNS.addServiceTxt(kService, "tcp", "fw", kFirmwareVersion);
  MDNS.addServiceTxt(kService, "tcp", "paired", settings.paired ? "1" : "0");
  MDNS.addServiceTxt(kService, "tcp", "proto", "1");
  if (settings.paired) MDNS.addServiceTxt(kService, "tcp", "id", settings.device_id);
  TANK_LOGI(TAG, "advertising _%s._tcp as %s (paired=%d)", kService, hostname_, settings.paired);
}

void Network::readvertise(const Settings& settings) {
  if (connected_) advertise(settings);
}

void Network::dump_config() const {
  TANK_LOGCONFIG(TAG, "Network:");
  TANK_LOGCONFIG(TAG, "  mac: %s, hostname: %s", mac_, hostname_);
  TANK_LOGCONFIG(TAG, "  mDNS service: _%s._tcp port %u", kService, kHttpPort);
}

}  // namespace tanknode
