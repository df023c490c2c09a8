print("aurora-bridge")
