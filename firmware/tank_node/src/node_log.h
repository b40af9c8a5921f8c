// Log lines "[L][tag] message" on the serial console, one TAG per module.
#pragma once

#include <Arduino.h>

#define TANK_LOGE(tag, fmt, ...) Serial.printf("[E][%s] " fmt "\n", tag, ##__VA_ARGS__)
#define TANK_LOGW(tag, fmt, ...) Serial.printf("[W][%s] " fmt "\n", tag, ##__VA_ARGS__)
#define TANK_LOGI(tag, fmt, ...) Serial.printf("[I][%s] " fmt "\n", tag, ##__VA_ARGS__)
#define TANK_LOGD(tag, fmt, ...) Serial.printf("[D][%s] " fmt "\n", tag, ##__VA_ARGS__)
#define TANK_LOGCONFIG(tag, fmt, ...) Serial.printf("[C][%s] " fmt "\n", tag, ##__VA_ARGS__)
