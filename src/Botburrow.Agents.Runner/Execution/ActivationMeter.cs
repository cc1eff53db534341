using System.Globalization;
using Botburrow.Agents.Runner.Consumption;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// What one activation has consumed, model call by model call (tokens from the provider's usage, cost from the
/// price table), and the budget it may spend. <see cref="EnsureBudgetFor"/> is called before every model call:
/// it refuses the call when what was spent plus the estimate of the next call (the previous call's cost; the
/// history only grows) exceeds the budget, so an activation overshoots its budget by at most one call.
/// A model without a price reports tokens and no cost, and cannot be stopped by the budget.
/// </summary>
public sealed class ActivationMeter
{
    private readonly Lock _lock = new();
    private readonly ModelPriceTable _prices;
    private decimal _cost;
    private decimal? _lastCallCost;
    private bool _priced;

    /// <param name="prices">The price table.</param>
    /// <param name="budgetUsd">USD the activation may spend (what the Hub's budget-health leaves), or <see langword="null"/> for no limit.</param>
    public ActivationMeter(ModelPriceTable prices, decimal? budgetUsd = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = prices;
        BudgetUsd = budgetUsd;
    }

    public decimal? BudgetUsd { get; }

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public int ModelCalls { get; private set; }

    /// <summary>The model of the first call (as the provider named it).</summary>
    public string? Model { get; private set; }

    /// <summary>USD spent, or <see langword="null"/> when no call had a priced model.</summary>
    public decimal? CostUsd
    {
        get
        {
            lock (_lock)
            {
                return _priced ? _cost : null;
            }
        }
    }

    /// <summary>Counts one model call (or one CLI run); a cost the tool reported itself wins over the price table.</summary>
    public void Record(string? model, long inputTokens, long outputTokens, decimal? reportedCostUsd = null)
    {
        var cost = reportedCostUsd ?? _prices.Cost(model, inputTokens, outputTokens);
        lock (_lock)
        {
            ModelCalls++;
            InputTokens += inputTokens;
            OutputTokens += outputTokens;
            Model ??= model;
            if (cost is { } known)
            {
                _priced = true;
                _cost += known;
                _lastCallCost = known;
            }
        }
    }

    /// <summary>Throws <see cref="BudgetExhaustedException"/> when the next model call would exceed the budget.</summary>
    public void EnsureBudgetFor(string what)
    {
        decimal spent;
        decimal estimate;
        lock (_lock)
        {
            if (BudgetUsd is not { } budget || !_priced)
            {
                return;
            }

            spent = _cost;
            estimate = _lastCallCost ?? 0m;
            if (spent + estimate <= budget)
            {
                return;
            }
        }

        throw new BudgetExhaustedException(string.Create(
            CultureInfo.InvariantCulture,
            $"budget exhausted during the activation: spent ${spent:0.######} of the ${BudgetUsd:0.######} left at its start; {what} (about ${estimate:0.######}) would exceed it"));
    }
}
